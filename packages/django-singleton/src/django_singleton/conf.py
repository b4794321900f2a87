"""Settings of django-singleton, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Alias in CACHES used to cache get_instance(); None turns caching off.
    "SINGLETON_CACHE": None,
    # Seconds a cached row lives; a safety net for writes that bypass the ORM (raw SQL).
    "SINGLETON_CACHE_TIMEOUT": 300,
    # Prefix of every cache key; change it to drop all cached rows at once (e.g. on deploy).
    "SINGLETON_CACHE_KEY_PREFIX": "django_singleton",
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
