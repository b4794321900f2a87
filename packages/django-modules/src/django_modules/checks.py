"""System checks of django-modules (ids ``modules.E001`` ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from django_modules import conf

MIDDLEWARE_PATH = "django_modules.middleware.ModuleCacheMiddleware"


@checks.register(checks.Tags.models)
def check_org_model(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """modules.E001 (unset), E002 (malformed), E003 (not an installed concrete model)."""
    return conf.ORG_MODEL.check()


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
