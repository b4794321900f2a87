"""View decorators that fail closed, for sync and async views.

Anonymous users are sent to the login page; authenticated users without the right get 403
(``PermissionDenied``). A decorator used without its arguments, or naming a module permission
that ``RBAC_MODULES`` does not declare, raises ``ImproperlyConfigured`` instead of letting the
request through.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from django_rbac import access
from django_rbac.conf import MAX_LEVEL, MIN_LEVEL, is_valid_level
from django_rbac.exceptions import UnknownModulePermissionError


def _guard(check: Callable[[Any], bool], before: Callable[[], None] = lambda: None):
    def denial(request: Any) -> Any:
        """``None`` when the request may pass; otherwise a redirect, or PermissionDenied."""
        before()
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not check(user):
            raise PermissionDenied
        return None

    def decorator(view: Callable) -> Callable:
        if iscoroutinefunction(view):

            @wraps(view)
            async def guarded_async(request: Any, *args: Any, **kwargs: Any) -> Any:
                # The checks may query the database: run them where sync code is allowed.
                refused = await sync_to_async(denial)(request)
                return refused or await view(request, *args, **kwargs)

            return guarded_async

        @wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            return denial(request) or view(request, *args, **kwargs)

        return guarded

    return decorator


def require_permission(module: Any, action: Any = None) -> Callable[[Callable], Callable]:
    """Allow the view only to users whose current roles grant ``action`` on ``module``."""
    if not isinstance(module, str) or not isinstance(action, str):
        raise ImproperlyConfigured(
            f"require_permission needs a module and an action, got {module!r}, {action!r}; "
            "use @require_permission('practice', 'view')"
        )

    def declared() -> None:
        try:
            access.ensure_declared(module, action)
        except UnknownModulePermissionError as error:
            raise ImproperlyConfigured(str(error)) from error

    return _guard(lambda user: access.has_module_permission(user, module, action), declared)


def validate_level(level: Any, where: str) -> int:
    if not is_valid_level(level):
        raise ImproperlyConfigured(
            f"{where} needs a hierarchy level from {MIN_LEVEL} to {MAX_LEVEL}, got {level!r}"
        )
    return level


def requires_hierarchy_level(level: Any) -> Callable[[Callable], Callable]:
    """Allow the view only to users at ``level`` or above (superusers always)."""
    level = validate_level(level, "requires_hierarchy_level")
    return _guard(lambda user: access.is_superuser(user) or access.hierarchy_level(user) >= level)
