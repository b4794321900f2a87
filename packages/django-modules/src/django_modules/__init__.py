"""Turn application modules on and off per organization, in one query per request.

The public API is re-exported lazily so that importing the package never touches the app
registry: ``from django_modules import is_module_enabled`` works in any module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_modules.cache import module_cache as module_cache
    from django_modules.exceptions import (
        BulkWriteError as BulkWriteError,
    )
    from django_modules.exceptions import (
        DuplicateModuleKey as DuplicateModuleKey,
    )
    from django_modules.exceptions import (
        DuplicateModuleKeyError as DuplicateModuleKeyError,
    )
    from django_modules.exceptions import (
        DuplicateOverride as DuplicateOverride,
    )
    from django_modules.exceptions import (
        DuplicateOverrideError as DuplicateOverrideError,
    )
    from django_modules.exceptions import (
        InvalidArgumentError as InvalidArgumentError,
    )
    from django_modules.exceptions import (
        InvalidFlag as InvalidFlag,
    )
    from django_modules.exceptions import (
        InvalidFlagError as InvalidFlagError,
    )
    from django_modules.exceptions import (
        InvalidOrganization as InvalidOrganization,
    )
    from django_modules.exceptions import (
        InvalidOrganizationError as InvalidOrganizationError,
    )
    from django_modules.exceptions import (
        ManifestError as ManifestError,
    )
    from django_modules.exceptions import (
        ModuleDisabled as ModuleDisabled,
    )
    from django_modules.exceptions import (
        ModuleNotFound as ModuleNotFound,
    )
    from django_modules.exceptions import (
        ModulesError as ModulesError,
    )
    from django_modules.exceptions import (
        UnknownModuleError as UnknownModuleError,
    )
    from django_modules.exceptions import (
        UnsupportedBulkOperation as UnsupportedBulkOperation,
    )
    from django_modules.exceptions import (
        UnsupportedBulkOperationError as UnsupportedBulkOperationError,
    )
    from django_modules.middleware import ModuleCacheMiddleware as ModuleCacheMiddleware
    from django_modules.models import Module as Module
    from django_modules.models import OrgModuleState as OrgModuleState
    from django_modules.services import (
        clear_org_module as clear_org_module,
    )
    from django_modules.services import (
        disable_module as disable_module,
    )
    from django_modules.services import (
        enable_module as enable_module,
    )
    from django_modules.services import (
        get_org_model as get_org_model,
    )
    from django_modules.services import (
        is_module_enabled as is_module_enabled,
    )
    from django_modules.services import (
        list_enabled_modules as list_enabled_modules,
    )
    from django_modules.services import (
        module_states as module_states,
    )
    from django_modules.services import (
        require_module as require_module,
    )
    from django_modules.services import (
        set_module_default as set_module_default,
    )
    from django_modules.services import (
        set_org_module as set_org_module,
    )
    from django_modules.signals import (
        module_toggled as module_toggled,
    )
    from django_modules.signals import (
        org_module_toggled as org_module_toggled,
    )
    from django_modules.views import (
        ModuleRequiredMixin as ModuleRequiredMixin,
    )
    from django_modules.views import (
        requires_module as requires_module,
    )

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
    "UnknownModuleError",
    "ModuleDisabled",
    "InvalidOrganizationError",
    "InvalidFlagError",
    "InvalidArgumentError",
    "BulkWriteError",
    "DuplicateModuleKeyError",
    "DuplicateOverrideError",
    "UnsupportedBulkOperationError",
    "ManifestError",
)
# The errors' earlier names, still importable (the same classes) but no longer in __all__.
_KEPT_FOR_COMPATIBILITY = (
    "ModuleNotFound",
    "InvalidOrganization",
    "InvalidFlag",
    "DuplicateModuleKey",
    "DuplicateOverride",
    "UnsupportedBulkOperation",
)
_LAZY = {
    **dict.fromkeys(_SERVICES, "django_modules.services"),
    **dict.fromkeys(_EXCEPTIONS, "django_modules.exceptions"),
    **dict.fromkeys(_KEPT_FOR_COMPATIBILITY, "django_modules.exceptions"),
    "Module": "django_modules.models",
    "OrgModuleState": "django_modules.models",
    "module_cache": "django_modules.cache",
    "ModuleCacheMiddleware": "django_modules.middleware",
    "requires_module": "django_modules.views",
    "ModuleRequiredMixin": "django_modules.views",
    "module_toggled": "django_modules.signals",
    "org_module_toggled": "django_modules.signals",
}

__all__ = sorted(set(_LAZY) - set(_KEPT_FOR_COMPATIBILITY))


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
