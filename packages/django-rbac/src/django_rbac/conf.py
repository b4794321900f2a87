"""Settings of django-rbac, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings

# The range of hierarchy levels; also a CheckConstraint on Role, so it is not a setting.
MIN_LEVEL = 1
MAX_LEVEL = 100


def is_valid_level(level: Any) -> bool:
    """True for an ``int`` (not a ``bool``) from ``MIN_LEVEL`` to ``MAX_LEVEL``."""
    return (
        isinstance(level, int) and not isinstance(level, bool) and MIN_LEVEL <= level <= MAX_LEVEL
    )


DEFAULTS: dict[str, Any] = {
    # Module permissions: {"module": ["action", ...]}; created as Django permissions on migrate.
    "RBAC_MODULES": {},
    # True: asking about a (module, action) that RBAC_MODULES does not declare is an error
    # (UnknownModulePermissionError; ImproperlyConfigured in a guard) instead of an answer.
    "RBAC_STRICT_MODULES": False,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])


def declared_modules() -> dict[str, list[str]]:
    value = get("RBAC_MODULES")
    return {module: list(actions) for module, actions in value.items()}
