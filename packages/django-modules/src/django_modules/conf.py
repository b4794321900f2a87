"""Settings of django-modules, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def org_model_problem(value: object) -> str | None:
    """Why ``value`` cannot be the org model setting, or ``None`` when its form is right."""
    if value is None:
        return f"{ORG_MODEL_SETTING} is not set"
    if not isinstance(value, str) or value.count(".") != 1 or "" in value.split("."):
        return f'{ORG_MODEL_SETTING} is {value!r}; expected "app_label.ModelName"'
    return None


def org_model_reference() -> str:
    """The organization foreign key's target, read once when the models are defined."""
    value = get(ORG_MODEL_SETTING)
    return UNCONFIGURED_ORG_MODEL if org_model_problem(value) else value


def improperly_configured(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{problem}. Set {ORG_MODEL_SETTING} in your settings to the organization model, "
        f'e.g. {ORG_MODEL_SETTING} = "django_parties.Organization", before running migrate.'
    )
