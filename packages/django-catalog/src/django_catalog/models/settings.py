"""``CatalogSettings``: the one-row switches of the catalog, edited in the admin."""

from __future__ import annotations

from django.db import models

from django_singleton.models import SingletonModel


class CatalogSettings(SingletonModel):
    """Read with ``CatalogSettings.get_instance()``."""

    allow_inactive_items = models.BooleanField(
        default=False, help_text="Allow inactive catalog items to be added to baskets."
    )

    class Meta(SingletonModel.Meta):
        verbose_name = "catalog settings"
        verbose_name_plural = "catalog settings"

    def __str__(self) -> str:
        return "Catalog settings"
