"""Settings of django-modules, read at call time so that ``override_settings`` works.

The one exception is ``MODULES_ORG_MODEL``: like ``AUTH_USER_MODEL`` it decides a foreign key, so
it is read once when the models are defined (django-basemodels' ``ModelSetting``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from django_basemodels.swappable import ModelSetting, SettingCheck

ORG_MODEL_SETTING = "MODULES_ORG_MODEL"

DEFAULTS: dict[str, Any] = {
    # "app_label.ModelName" of the organization model. Required: there is no sensible default.
    ORG_MODEL_SETTING: None,
    # How views find the request's organization when a decorator or mixin is not told: a dotted
    # attribute path on the request ("organization", "user.profile.organization").
    "MODULES_REQUEST_ORG_ATTRIBUTE": "organization",
}

# What the organization foreign key points to when the setting is missing or malformed, so that
# Django can start and the system check (modules.E001/E002) can explain the problem with a hint.
UNCONFIGURED_ORG_MODEL = "django_modules.MODULES_ORG_MODEL_is_not_set"
_EXAMPLE = f'{ORG_MODEL_SETTING} = "django_parties.Organization"'
ORG_MODEL = ModelSetting(
    ORG_MODEL_SETTING,
    stand_in=UNCONFIGURED_ORG_MODEL,
    unset=SettingCheck(
        "modules.E001",
        "{setting} is not set: django-modules needs to know which model is the organization.",
        'Set it to "app_label.ModelName" of your organization model, e.g. ' + _EXAMPLE,
    ),
    malformed=SettingCheck(
        "modules.E002",
        '{setting} is {value}; expected "app_label.ModelName".',
        'Use the "app_label.ModelName" form, e.g. ' + _EXAMPLE,
    ),
    not_installed=SettingCheck(
        "modules.E003",
        "{setting} is {value}, which is not an installed concrete model.",
        "Add the model's app to INSTALLED_APPS or correct the app label and model name (the "
        "migrations of django_modules depend on it).",
    ),
)


# What ImproperlyConfigured adds to the failing check's message (get_org_model()).
ORG_MODEL_ADVICE = (
    f"Set {ORG_MODEL_SETTING} in your settings to the organization model, e.g. {_EXAMPLE}, "
    "before running migrate."
)


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
