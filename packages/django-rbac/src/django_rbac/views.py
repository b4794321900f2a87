"""Class-based view mixins that fail closed.

Put them first in the bases. A view that forgets to configure its mixin raises
``ImproperlyConfigured`` on every request instead of serving it. Anonymous users go to the login
page; authenticated users without the right get 403. ``HierarchyPermissionMixin`` asks "may the
requester manage that user?", so the user acted on is ranked by the highest level they hold or
will hold, and a superuser (active or not) by a level above every role.
"""

from __future__ import annotations

from typing import Any, cast

from asgiref.sync import sync_to_async
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured

from django_rbac import access
from django_rbac.decorators import ensure_declared_if_strict, validate_level
from django_rbac.exceptions import InvalidArgumentError


class _RBACViewMixin(AccessMixin):
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "view_is_async", False):
            return self._dispatch_async(request, *args, **kwargs)
        return self.rbac_denial(request) or self._next_dispatch(request, *args, **kwargs)

    def _next_dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # The view class after this mixin in the bases provides dispatch().
        return cast(Any, super()).dispatch(request, *args, **kwargs)

    async def _dispatch_async(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # The checks may query the database: run them where sync code is allowed.
        refused = await sync_to_async(self.rbac_denial)(request)
        return refused or await self._next_dispatch(request, *args, **kwargs)

    def rbac_denial(self, request: Any) -> Any:
        """``None`` when the request may pass; else the login redirect, or PermissionDenied."""
        self.check_rbac_configuration()
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_rbac_access(request.user):
            return self.handle_no_permission()  # authenticated: PermissionDenied (403)
        return None

    def check_rbac_configuration(self) -> None:
        raise NotImplementedError

    def has_rbac_access(self, user: Any) -> bool:
        raise NotImplementedError


class ModulePermissionMixin(_RBACViewMixin):
    """Requires ``permission_module`` / ``permission_action`` (answered like
    ``has_module_permission``; declare them in ``RBAC_MODULES`` so that migrate creates them)."""

    permission_module: str | None = None
    permission_action: str | None = None

    def check_rbac_configuration(self) -> None:
        name = type(self).__name__
        if not isinstance(self.permission_module, str) or not isinstance(
            self.permission_action, str
        ):
            raise ImproperlyConfigured(
                f"{name} uses ModulePermissionMixin but sets permission_module="
                f"{self.permission_module!r}, permission_action={self.permission_action!r}; "
                "expected both as strings declared in RBAC_MODULES"
            )
        try:
            access.check_module_name(self.permission_module, self.permission_action)
            ensure_declared_if_strict(self.permission_module, self.permission_action)
        except (InvalidArgumentError, ImproperlyConfigured) as error:
            raise ImproperlyConfigured(f"{name}: {error}") from error

    def has_rbac_access(self, user: Any) -> bool:
        return access.has_module_permission(
            user, str(self.permission_module), str(self.permission_action)
        )


class HierarchyLevelMixin(_RBACViewMixin):
    """Requires ``required_hierarchy_level`` or above (superusers always pass)."""

    required_hierarchy_level: int | None = None

    def check_rbac_configuration(self) -> None:
        validate_level(
            self.required_hierarchy_level, f"{type(self).__name__}.required_hierarchy_level"
        )

    def has_rbac_access(self, user: Any) -> bool:
        if access.is_superuser(user):
            return True
        return access.hierarchy_level(user) >= int(self.required_hierarchy_level or 0)


class HierarchyPermissionMixin(_RBACViewMixin):
    """For views that act on another user: the requester must manage that user (strictly
    higher level). Implement ``get_managed_user()`` to say who it is."""

    def get_managed_user(self) -> Any:
        raise ImproperlyConfigured(
            f"{type(self).__name__} uses HierarchyPermissionMixin but does not implement "
            "get_managed_user(); expected it to return the user the view acts on"
        )

    def check_rbac_configuration(self) -> None:
        if type(self).get_managed_user is HierarchyPermissionMixin.get_managed_user:
            self.get_managed_user()  # raises ImproperlyConfigured

    def has_rbac_access(self, user: Any) -> bool:
        return access.can_manage_user(user, self.get_managed_user())
