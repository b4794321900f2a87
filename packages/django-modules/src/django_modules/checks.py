"""System checks of django-modules (ids ``modules.E001`` ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks

from django_modules import conf

_EXAMPLE = f'{conf.ORG_MODEL_SETTING} = "django_parties.Organization"'
MIDDLEWARE_PATH = "django_modules.middleware.ModuleCacheMiddleware"


@checks.register(checks.Tags.models)
def check_org_model(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    value = conf.get(conf.ORG_MODEL_SETTING)
    if value is None:
        return [
            checks.Error(
                f"{conf.ORG_MODEL_SETTING} is not set: django-modules needs to know which model "
                "is the organization.",
                hint=f'Set it to "app_label.ModelName" of your organization model, e.g. {_EXAMPLE}',
                id="modules.E001",
            )
        ]
    problem = conf.org_model_problem(value)
    if problem is not None:
        return [
            checks.Error(
                f"{problem}.",
                hint=f'Use the "app_label.ModelName" form, e.g. {_EXAMPLE}',
                id="modules.E002",
            )
        ]
    try:
        model = apps.get_model(value, require_ready=False)
    except LookupError:
        model = None
    if model is None or model._meta.abstract or model._meta.swapped:
        return [
            checks.Error(
                f"{conf.ORG_MODEL_SETTING} is {value!r}, which is not an installed concrete model.",
                hint="Add the model's app to INSTALLED_APPS or correct the app label and model "
                "name (the migrations of django_modules depend on it).",
                id="modules.E003",
            )
        ]
    return []


@checks.register()
def check_middleware(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if MIDDLEWARE_PATH in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        checks.Warning(
            "ModuleCacheMiddleware is not installed: every module check in a request costs a "
            "query instead of one query per organization per request.",
            hint=f'Add "{MIDDLEWARE_PATH}" to MIDDLEWARE, or silence modules.W001 if you open '
            "module_cache() yourself.",
            id="modules.W001",
        )
    ]
