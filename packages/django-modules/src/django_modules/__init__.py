"""Turn application modules on and off per organization, in one query per request.

The public API is re-exported lazily so that importing the package never touches the app
registry: ``from django_modules import is_module_enabled`` works in any module.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_SERVICES = (
    "is_module_enabled",
    "require_module",
    "list_enabled_modules",
    "module_states",
    "set_module_default",
    "set_org_module",
    "enable_module",
    "disable_module",
    "clear_org_module",
    "get_org_model",
)
_EXCEPTIONS = (
    "ModulesError",
    "ModuleNotFound",
    "ModuleDisabled",
    "InvalidOrganization",
    "InvalidFlag",
    "DuplicateModuleKey",
    "DuplicateOverride",
    "UnsupportedBulkOperation",
    "ManifestError",
)
_LAZY = {
    **dict.fromkeys(_SERVICES, "django_modules.services"),
    **dict.fromkeys(_EXCEPTIONS, "django_modules.exceptions"),
    "Module": "django_modules.models",
    "OrgModuleState": "django_modules.models",
    "module_cache": "django_modules.cache",
    "ModuleCacheMiddleware": "django_modules.middleware",
    "requires_module": "django_modules.views",
    "ModuleRequiredMixin": "django_modules.views",
    "module_toggled": "django_modules.signals",
    "org_module_toggled": "django_modules.signals",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
