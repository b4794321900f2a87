"""View decorators that fail closed, for sync and async views.

Anonymous users are sent to the login page; authenticated users without the right get 403
(``PermissionDenied``). A decorator used without its arguments raises ``ImproperlyConfigured``.
A module permission that ``RBAC_MODULES`` does not declare is answered from the user's roles like
any other (system check ``rbac.W002`` names it); with ``RBAC_STRICT_MODULES = True`` it raises
``ImproperlyConfigured`` on every request instead of letting the request through.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponseRedirect

from django_rbac import access, conf
from django_rbac.conf import MAX_LEVEL, MIN_LEVEL, is_valid_level
from django_rbac.exceptions import InvalidArgumentError, UnknownModulePermissionError

ViewFunction = Callable[..., Any]
Decorator = Callable[[ViewFunction], ViewFunction]

#: The attribute a guarded view carries, ``(module, action)``, for system check ``rbac.W002``.
GUARD_ATTR = "rbac_module_permission"


def _nothing_before() -> None:
    return None


def _guard(check: Callable[[Any], bool], before: Callable[[], None] = _nothing_before) -> Decorator:
    def denial(request: Any) -> HttpResponseRedirect | None:
        """``None`` when the request may pass; otherwise a redirect, or PermissionDenied."""
        before()
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not check(user):
            raise PermissionDenied
        return None

    def decorator(view: ViewFunction) -> ViewFunction:
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


def require_permission(module: Any, action: Any = None) -> Decorator:
    """Allow the view only to users whose current roles grant ``action`` on ``module``."""
    if not isinstance(module, str) or not isinstance(action, str):
        raise ImproperlyConfigured(
            f"require_permission needs a module and an action, got {module!r}, {action!r}; "
            "use @require_permission('practice', 'view')"
        )

    try:
        access.check_module_name(module, action)
    except InvalidArgumentError as error:
        raise ImproperlyConfigured(f"require_permission: {error}") from error

    def declared() -> None:
        ensure_declared_if_strict(module, action)

    guard = _guard(lambda user: access.has_module_permission(user, module, action), declared)

    def decorator(view: ViewFunction) -> ViewFunction:
        guarded = guard(view)
        setattr(guarded, GUARD_ATTR, (module, action))
        return guarded

    return decorator


def ensure_declared_if_strict(module: str, action: str) -> None:
    """Under ``RBAC_STRICT_MODULES``, an undeclared module permission misconfigures a guard."""
    if not conf.get("RBAC_STRICT_MODULES"):
        return
    try:
        access.ensure_declared(module, action)
    except UnknownModulePermissionError as error:
        raise ImproperlyConfigured(str(error)) from error


def validate_level(level: Any, where: str) -> int:
    if not is_valid_level(level):
        raise ImproperlyConfigured(
            f"{where} needs a hierarchy level from {MIN_LEVEL} to {MAX_LEVEL}, got {level!r}"
        )
    return int(level)


def requires_hierarchy_level(level: Any) -> Decorator:
    """Allow the view only to users at ``level`` or above (superusers always)."""
    required = validate_level(level, "requires_hierarchy_level")
    return _guard(
        lambda user: access.is_superuser(user) or access.hierarchy_level(user) >= required
    )
