"""``CatalogItem``: what can be ordered, and how its work is routed."""

from __future__ import annotations

from typing import Any

from django.db import models

from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_catalog.validators import check_char_fields, check_choice


class CatalogItem(BaseModel):
    """An orderable definition: a service (a lab test, a repair) or a stock item (a medicine).

    Nothing happens when an item exists; it becomes work only when it is added to a basket and
    the basket is committed.
    """

    class Kind(models.TextChoices):
        SERVICE = "service", "Service"
        STOCK_ITEM = "stock_item", "Stock item"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    service_category = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="Groups services (e.g. lab, imaging); services route to the board of that name.",
    )
    display_name = models.CharField(max_length=200)
    active = models.BooleanField(
        default=True, help_text="Inactive items cannot be added to baskets unless allowed."
    )
    board = models.CharField(
        max_length=64,
        blank=True,
        help_text="Board for this item's work; empty to use the routing rules.",
    )

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["service", "stock_item"]),
                name="catalog_catalogitem_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        check_choice(self.kind, "kind", self.Kind.values)
        check_char_fields(self)
        super().save(*args, **kwargs)
