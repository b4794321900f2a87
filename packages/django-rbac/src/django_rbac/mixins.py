"""``RBACUserMixin``: put it first in the bases of your custom user model.

class User(RBACUserMixin, AbstractUser):
    pass
"""

from __future__ import annotations

from typing import Any

from django_rbac import access


class RBACUserMixin:
    """Hierarchy and module-permission answers on the user object, cached for its lifetime
    (in practice one request): any number of checks cost at most two queries."""

    @property
    def hierarchy_level(self) -> int:
        """The highest level among current, active, non-deleted roles; 0 if none or inactive."""
        return access.hierarchy_level(self)

    def can_manage_user(self, other: Any) -> bool:
        """True if this user's level is strictly above ``other``'s (superusers: always)."""
        return access.can_manage_user(self, other)

    def can_manage_role(self, role: Any) -> bool:
        """True if this user may assign and revoke ``role`` (its level is strictly below)."""
        return access.can_manage_role(self, role)

    def get_manageable_roles(self):
        """Active roles strictly below this user's level, as a queryset."""
        return access.manageable_roles(self)

    def has_module_permission(self, module: str, action: str) -> bool:
        """True if a current role grants ``action`` on ``module`` (declared in RBAC_MODULES)."""
        return access.has_module_permission(self, module, action)

    def get_current_roles(self):
        """The roles currently in force for this user, highest level first."""
        from django_rbac.models import Role

        return Role.objects.filter(assignments__in=self.rbac_assignments.current()).distinct()

    def clear_rbac_cache(self) -> None:
        access.clear_cache(self)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        access.clear_cache(self)
        super().refresh_from_db(*args, **kwargs)
