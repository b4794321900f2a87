"""``RBACUserMixin``: put it first in the bases of your custom user model.

class User(RBACUserMixin, AbstractUser):
    pass
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django_rbac import access

if TYPE_CHECKING:
    from django_rbac.models import Role, RoleQuerySet


class RBACUserMixin:
    """Hierarchy and module-permission answers on the user object, cached for its lifetime
    (in practice one request): any number of checks cost at most two queries."""

    @property
    def hierarchy_level(self) -> int:
        """The highest level among current, active, non-deleted roles; 0 if none or inactive."""
        return access.hierarchy_level(self)

    @property
    def standing_level(self) -> int:
        """The highest level this user holds or will hold (future, dormant and switched-off
        roles count; a superuser, active or not, stands at 101): what it takes to manage them."""
        return access.standing_level(self)

    def can_manage_user(self, other: Any) -> bool:
        """True if this user's current level is strictly above ``other``'s standing level
        (active superusers: always)."""
        return access.can_manage_user(self, other)

    def can_manage_role(self, role: Role | None) -> bool:
        """True if this user may assign and revoke ``role`` (its level is strictly below)."""
        return access.can_manage_role(self, role)

    def get_manageable_roles(self) -> RoleQuerySet[Role]:
        """Active roles strictly below this user's current level, as a queryset."""
        return access.manageable_roles(self)

    def has_module_permission(self, module: str, action: str) -> bool:
        """True if a current role grants ``action`` on ``module`` (superusers: always)."""
        return access.has_module_permission(self, module, action)

    def get_current_roles(self) -> RoleQuerySet[Role]:
        """The roles currently in force for this user, highest level first."""
        from django_rbac.models import Role, UserRole

        current = UserRole.objects.current().filter(user_id=cast(Any, self).pk)
        roles: RoleQuerySet[Role] = Role.objects.filter(assignments__in=current).distinct()
        return roles

    def clear_rbac_cache(self) -> None:
        access.clear_cache(self)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        access.clear_cache(self)
        cast(Any, super()).refresh_from_db(*args, **kwargs)
