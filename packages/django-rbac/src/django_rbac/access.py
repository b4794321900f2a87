"""The answers to "what level is this user?" and "may this user do that?", cached per user
object.

A request has one ``request.user`` object, so caching on the instance makes every check after the
first free for the rest of the request: the first level check costs one query (the user's current
roles), the first permission check one more (the permissions of those roles' groups). Nothing is
shared between requests or processes, so nothing can go stale beyond one request; ``assign_role``
and ``revoke_role`` clear the cache of the user objects they are given.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from django_rbac import conf
from django_rbac.exceptions import UnknownModulePermissionError

CACHE_ATTR = "_rbac_access_cache"
APP_LABEL = "django_rbac"


def module_codename(module: str, action: str) -> str:
    """The ``Permission.codename`` of a module permission: ``"<module>.<action>"``."""
    return f"{module}.{action}"


def module_perm(module: str, action: str) -> str:
    """The Django permission string: ``"django_rbac.<module>.<action>"`` (for ``has_perm``)."""
    return f"{APP_LABEL}.{module_codename(module, action)}"


@dataclass
class _Access:
    level: int
    group_ids: list[int]
    permissions: frozenset[str] | None = field(default=None)


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "pk", None) is not None
    )


def is_superuser(user: Any) -> bool:
    """Active superusers are the documented exception to every rule of this package."""
    return _active(user) and bool(getattr(user, "is_superuser", False))


def _access(user: Any) -> _Access:
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not _active(user):
        access = _Access(level=0, group_ids=[], permissions=frozenset())
    else:
        from django_rbac.models import UserRole

        rows = list(
            UserRole.objects.current()
            .filter(user_id=user.pk)
            .values_list("role__hierarchy_level", "role__group_id")
        )
        access = _Access(
            level=max((level for level, _group in rows), default=0),
            group_ids=sorted({group for _level, group in rows}),
        )
    # An object that refuses attributes gets no caching, and still correct answers.
    with contextlib.suppress(AttributeError):
        setattr(user, CACHE_ATTR, access)
    return access


def clear_cache(*users: Any) -> None:
    """Forget the cached answers of these user objects (after their roles changed)."""
    for user in users:
        if user is not None and hasattr(user, CACHE_ATTR):
            delattr(user, CACHE_ATTR)


def hierarchy_level(user: Any) -> int:
    """The highest level among the current roles of an active user; 0 otherwise."""
    return _access(user).level


def role_permissions(user: Any) -> frozenset[str]:
    """``"app_label.codename"`` of every permission granted by the user's current roles."""
    access = _access(user)
    if access.permissions is None:
        from django.contrib.auth.models import Permission

        rows = Permission.objects.filter(group__id__in=access.group_ids).values_list(
            "content_type__app_label", "codename"
        )
        access.permissions = (
            frozenset(f"{app}.{codename}" for app, codename in rows)
            if access.group_ids
            else frozenset()
        )
    return access.permissions


def ensure_declared(module: str, action: str) -> None:
    declared = conf.declared_modules()
    if action not in declared.get(module, ()):
        raise UnknownModulePermissionError(module, action, declared)


def has_module_permission(user: Any, module: str, action: str) -> bool:
    """True when a current role of ``user`` grants ``module``/``action`` (superusers: always).

    ``(module, action)`` must be declared in ``RBAC_MODULES``: a typo is an error, not a silent
    "no".
    """
    ensure_declared(module, action)
    if not _active(user):
        return False
    if is_superuser(user):
        return True
    return module_perm(module, action) in role_permissions(user)


def can_manage_user(actor: Any, other: Any) -> bool:
    """True when ``actor``'s level is strictly above ``other``'s.

    An active superuser manages everyone; nobody else manages a superuser.
    """
    if not _active(actor) or other is None:
        return False
    if is_superuser(actor):
        return True
    if is_superuser(other):
        return False
    return hierarchy_level(actor) > hierarchy_level(other)


def can_manage_role(actor: Any, role: Any) -> bool:
    """True when ``actor``'s level is strictly above the role's (superusers: always)."""
    if is_superuser(actor):
        return True
    return _active(actor) and hierarchy_level(actor) > role.hierarchy_level


def manageable_roles(actor: Any) -> QuerySet:
    """Active roles strictly below ``actor``'s level (every active role for a superuser)."""
    from django_rbac.models import Role

    roles = Role.objects.filter(is_active=True)
    if is_superuser(actor):
        return roles
    return roles.filter(hierarchy_level__lt=hierarchy_level(actor))
