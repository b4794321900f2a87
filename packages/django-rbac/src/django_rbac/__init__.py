"""Role-based access control with hierarchy levels: no privilege escalation, guards that fail
closed, and permission checks that cost at most two queries per request.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_rbac.decorators import (
        require_permission as require_permission,
    )
    from django_rbac.decorators import (
        requires_hierarchy_level as requires_hierarchy_level,
    )
    from django_rbac.exceptions import RBACError as RBACError
    from django_rbac.mixins import RBACUserMixin as RBACUserMixin
    from django_rbac.models import Role as Role
    from django_rbac.models import UserRole as UserRole
    from django_rbac.permissions import sync_module_permissions as sync_module_permissions
    from django_rbac.services import assign_role as assign_role
    from django_rbac.services import revoke_role as revoke_role
    from django_rbac.views import (
        HierarchyLevelMixin as HierarchyLevelMixin,
    )
    from django_rbac.views import (
        HierarchyPermissionMixin as HierarchyPermissionMixin,
    )
    from django_rbac.views import (
        ModulePermissionMixin as ModulePermissionMixin,
    )

_LAZY = {
    "Role": "django_rbac.models",
    "UserRole": "django_rbac.models",
    "RBACUserMixin": "django_rbac.mixins",
    "assign_role": "django_rbac.services",
    "revoke_role": "django_rbac.services",
    "sync_module_permissions": "django_rbac.permissions",
    "require_permission": "django_rbac.decorators",
    "requires_hierarchy_level": "django_rbac.decorators",
    "ModulePermissionMixin": "django_rbac.views",
    "HierarchyPermissionMixin": "django_rbac.views",
    "HierarchyLevelMixin": "django_rbac.views",
    "RBACError": "django_rbac.exceptions",
}

__all__ = [
    "HierarchyLevelMixin",
    "HierarchyPermissionMixin",
    "ModulePermissionMixin",
    "RBACError",
    "RBACUserMixin",
    "Role",
    "UserRole",
    "assign_role",
    "require_permission",
    "requires_hierarchy_level",
    "revoke_role",
    "sync_module_permissions",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
