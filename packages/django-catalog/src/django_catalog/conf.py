"""Settings of django-catalog, read at call time so that ``override_settings`` works.

The one exception is ``CATALOG_ENCOUNTER_MODEL``: like ``AUTH_USER_MODEL`` it decides a foreign
key, so it is read once when the models are imported and must be set before the first migration.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

ENCOUNTER_SETTING = "CATALOG_ENCOUNTER_MODEL"
# Stands in for a missing CATALOG_ENCOUNTER_MODEL so that the models still import and the
# system checks (catalog.E001) can explain what to set.
UNSET_ENCOUNTER_MODEL = "django_catalog.EncounterModelNotConfigured"

DEFAULTS: dict[str, Any] = {
    # Board for each kind, or for "kind:service_category"; the more specific key wins.
    "CATALOG_BOARD_ROUTES": {"stock_item": "pharmacy"},
    # Board of a service that has no category and matches no route.
    "CATALOG_DEFAULT_BOARD": "general",
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def encounter_model_label() -> str:
    """The "app_label.ModelName" of the encounter model, or the placeholder when unset."""
    return getattr(settings, ENCOUNTER_SETTING, None) or UNSET_ENCOUNTER_MODEL


def get_encounter_model() -> type[models.Model]:
    """The model class named by ``CATALOG_ENCOUNTER_MODEL``."""
    return apps.get_model(encounter_model_label(), require_ready=False)
