"""Settings of django-catalog, read at call time so that ``override_settings`` works.

The one exception is ``CATALOG_ENCOUNTER_MODEL``: like ``AUTH_USER_MODEL`` it decides a foreign
key, so it is read once when the models are imported and must be set before the first migration.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from django_basemodels.swappable import ModelSetting, SettingCheck

ENCOUNTER_SETTING = "CATALOG_ENCOUNTER_MODEL"
# Stands in for a missing or malformed CATALOG_ENCOUNTER_MODEL so that the models still import
# and the system checks (catalog.E001, E002) can explain what to set.
UNSET_ENCOUNTER_MODEL = "django_catalog.EncounterModelNotConfigured"
ENCOUNTER_HINT = (
    "Set CATALOG_ENCOUNTER_MODEL = 'app_label.ModelName' to the model that baskets belong to "
    "(for example 'django_encounters.Encounter'), before the first migrate."
)
ENCOUNTER_MODEL = ModelSetting(
    ENCOUNTER_SETTING,
    stand_in=UNSET_ENCOUNTER_MODEL,
    unset=SettingCheck("catalog.E001", "{setting} is not set.", ENCOUNTER_HINT),
    malformed=SettingCheck(
        "catalog.E002", "{setting} is {value}; expected 'app_label.ModelName'.", ENCOUNTER_HINT
    ),
    not_installed=SettingCheck(
        "catalog.E005",
        "{setting} is {value}, which is not an installed model.",
        ENCOUNTER_HINT + " Add its app to INSTALLED_APPS.",
    ),
)

DEFAULTS: dict[str, Any] = {
    # Board for each kind, or for "kind:service_category"; the more specific key wins.
    "CATALOG_BOARD_ROUTES": {"stock_item": "pharmacy"},
    # Board of a service that has no category and matches no route.
    "CATALOG_DEFAULT_BOARD": "general",
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def encounter_model_label() -> str:
    """The "app_label.ModelName" of the encounter model, or the stand-in when it is unset or
    malformed."""
    return ENCOUNTER_MODEL.label()


def get_encounter_model() -> type[models.Model]:
    """The model class named by ``CATALOG_ENCOUNTER_MODEL``; ``ImproperlyConfigured`` (with the
    system check's message and hint) when there is none."""
    return ENCOUNTER_MODEL.get_model()
