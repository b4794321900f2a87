"""System checks of django-singleton (ids ``singleton.E001`` ...)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

from django_singleton import conf

# Process-local backends: invalidating in one process cannot reach the others.
_LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches)
def check_cache_alias(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    alias = conf.get("SINGLETON_CACHE")
    if not alias:
        return []
    caches = getattr(settings, "CACHES", {})
    if alias not in caches:
        return [
            checks.Error(
                f"SINGLETON_CACHE is {alias!r}, which is not an alias in CACHES "
                f"(expected one of {sorted(caches)})",
                hint="Add that alias to CACHES or set SINGLETON_CACHE to an existing alias.",
                id="singleton.E001",
            )
        ]
    if caches[alias].get("BACKEND") in _LOCAL_BACKENDS:
        return [
            checks.Warning(
                f"SINGLETON_CACHE {alias!r} uses {caches[alias]['BACKEND']}, which each process "
                "keeps to itself: a save in one process is not seen by the others until "
                "SINGLETON_CACHE_TIMEOUT expires",
                hint="Point SINGLETON_CACHE at a shared backend (Redis, Memcached, database).",
                id="singleton.W001",
            )
        ]
    return []


def _singleton_models() -> list[type[models.Model]]:
    from django_singleton.models import SingletonModel

    return [
        model
        for model in apps.get_models()
        if issubclass(model, SingletonModel) and not model._meta.proxy
    ]


def _needs_value(field: models.Field[Any, Any]) -> bool:
    return (
        field.concrete
        and not field.primary_key
        and not field.null
        and not field.has_default()
        and getattr(field, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


@checks.register(checks.Tags.models)
def check_singleton_models(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for model in _singleton_models():
        pk = model._meta.pk
        if pk.name != "id" or not isinstance(pk, models.IntegerField):
            messages.append(
                checks.Error(
                    f"{model._meta.label} replaces the primary key with {pk.name!r} "
                    f"({type(pk).__name__}); expected the inherited integer 'id' (always 1)",
                    hint="Remove the custom primary key from the singleton model.",
                    obj=model,
                    id="singleton.E002",
                )
            )
        missing = [field.name for field in model._meta.local_fields if _needs_value(field)]
        if missing:
            messages.append(
                checks.Warning(
                    f"{model._meta.label}.get_instance() cannot create the row: {missing} have "
                    "no default and do not allow NULL",
                    hint="Give these fields a default, or create the row once by hand "
                    "(admin or a data migration) before get_instance() is called.",
                    obj=model,
                    id="singleton.W002",
                )
            )
    return messages
