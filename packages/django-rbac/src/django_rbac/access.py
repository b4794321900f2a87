"""The answers to "what level is this user?" and "may this user do that?", cached per user
object.

Two levels answer two different questions:

- ``hierarchy_level(user)``: what the user may do *now*, the highest level among their current
  roles (0 for an inactive or anonymous user). It is the actor's side of every rule.
- ``standing_level(user)``: what it takes to manage the user, the highest level they hold *or
  will hold*: every open, unexpired assignment counts, whether it has started yet, whether the
  user is active and whether its role is switched on, since each of these can change without the
  manager. A superuser, active or not, stands above every role (``SUPERUSER_LEVEL``).

A request has one ``request.user`` object, so caching on the instance makes every check after the
first free for the rest of the request: the first level check costs one query (the user's open
assignments), the first permission check one more (the permissions of the current roles' groups).
Nothing is shared between requests or processes; ``assign_role`` and ``revoke_role`` clear the
cache of the user objects they are given.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from django_rbac import conf
from django_rbac.conf import MAX_LEVEL
from django_rbac.exceptions import InvalidArgumentError, UnknownModulePermissionError

if TYPE_CHECKING:
    from django_rbac.models import Role, RoleQuerySet

CACHE_ATTR = "_rbac_access_cache"
APP_LABEL = "django_rbac"
#: Where a superuser stands: above the highest role level.
SUPERUSER_LEVEL = MAX_LEVEL + 1
#: ``Permission.codename`` holds at most this many characters.
CODENAME_MAX_LENGTH = 100


def module_codename(module: str, action: str) -> str:
    """The ``Permission.codename`` of a module permission: ``"<module>.<action>"``."""
    return f"{module}.{action}"


def module_perm(module: str, action: str) -> str:
    """The Django permission string: ``"django_rbac.<module>.<action>"`` (for ``has_perm``)."""
    return f"{APP_LABEL}.{module_codename(module, action)}"


@dataclass
class _Access:
    level: int
    standing: int
    group_ids: list[int]
    permissions: frozenset[str] | None = field(default=None)


def check_user(value: Any, argument: str) -> None:
    """Raise ``InvalidArgumentError`` unless ``value`` is ``None``, an anonymous user or an
    instance of the user model: the questions below take nobody, never something else."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    model = get_user_model()
    if value is not None and not isinstance(value, (model, AnonymousUser)):
        raise InvalidArgumentError(argument, value, f"a {model._meta.label} instance or None")


def _saved(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "pk", None) is not None
    )


def _active(user: Any) -> bool:
    return _saved(user) and bool(getattr(user, "is_active", False))


def is_superuser(user: Any) -> bool:
    """Active superusers are the documented exception to every rule of this package."""
    return _active(user) and bool(getattr(user, "is_superuser", False))


def load(user: Any) -> _Access:
    """Both levels and the current roles' groups of ``user``, in one query (not cached)."""
    if not _saved(user):
        return _Access(level=0, standing=0, group_ids=[], permissions=frozenset())
    from django_rbac.models import UserRole

    now = timezone.now()
    rows = list(
        UserRole.objects.open()
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now), user_id=user.pk)
        .values_list(
            "role__hierarchy_level",
            "role__group_id",
            "valid_from",
            "role__is_active",
            "role__deleted_at",
        )
    )
    active = _active(user)
    current = [
        (level, group)
        for level, group, valid_from, role_active, role_deleted in rows
        if active and valid_from <= now and role_active and role_deleted is None
    ]
    standing = max((row[0] for row in rows), default=0)
    if getattr(user, "is_superuser", False):
        standing = SUPERUSER_LEVEL
    return _Access(
        level=max((level for level, _group in current), default=0),
        standing=standing,
        group_ids=sorted({group for _level, group in current}),
    )


def _access(user: Any) -> _Access:
    cached: _Access | None = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    access = load(user)
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
    check_user(user, "user")
    return _access(user).level


def standing_level(user: Any) -> int:
    """The highest level ``user`` holds or will hold (``SUPERUSER_LEVEL`` for any superuser):
    a manager needs a current level strictly above it."""
    check_user(user, "user")
    return _access(user).standing


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


def check_module_name(module: Any, action: Any) -> None:
    """Raise ``InvalidArgumentError`` unless ``module`` and ``action`` are non-empty strings
    whose codename fits ``Permission.codename``."""
    for argument, value in (("module", module), ("action", action)):
        if not isinstance(value, str) or not value:
            raise InvalidArgumentError(argument, value, "a non-empty string")
    codename = module_codename(module, action)
    if len(codename) > CODENAME_MAX_LENGTH:
        raise InvalidArgumentError(
            "module", module, f"'<module>.<action>' of at most {CODENAME_MAX_LENGTH} characters"
        )


def is_declared(module: str, action: str) -> bool:
    return action in conf.declared_modules().get(module, ())


def ensure_declared(module: str, action: str) -> None:
    """Raise ``UnknownModulePermissionError`` unless ``RBAC_MODULES`` declares the pair."""
    if not is_declared(module, action):
        raise UnknownModulePermissionError(module, action, conf.declared_modules())


def has_module_permission(user: Any, module: str, action: str) -> bool:
    """True when a current role of ``user`` grants ``module``/``action`` (superusers: always).

    A pair that ``RBAC_MODULES`` does not declare is answered the same way (so ``False`` unless
    a role's group holds that permission); with ``RBAC_STRICT_MODULES = True`` it raises
    ``UnknownModulePermissionError`` instead, so that a typo is an error.
    """
    check_module_name(module, action)
    check_user(user, "user")
    if conf.get("RBAC_STRICT_MODULES"):
        ensure_declared(module, action)
    if not _active(user):
        return False
    if is_superuser(user):
        return True
    return module_perm(module, action) in role_permissions(user)


def can_manage_user(actor: Any, other: Any) -> bool:
    """True when ``actor``'s current level is strictly above ``other``'s standing level.

    An active superuser manages everyone; nobody else manages a superuser, active or not.
    """
    check_user(actor, "actor")
    check_user(other, "other")
    if not _active(actor) or not _saved(other):
        return False
    if is_superuser(actor):
        return True
    return hierarchy_level(actor) > standing_level(other)


def check_role(value: Any, argument: str = "role") -> None:
    from django_rbac.models import Role

    if value is not None and not isinstance(value, Role):
        raise InvalidArgumentError(argument, value, "a Role instance")


def can_manage_role(actor: Any, role: Any) -> bool:
    """True when ``actor``'s level is strictly above the role's (superusers: always)."""
    check_user(actor, "actor")
    check_role(role)
    if role is None:
        return False
    if is_superuser(actor):
        return True
    return _active(actor) and hierarchy_level(actor) > role.hierarchy_level


def manageable_roles(actor: Any) -> RoleQuerySet[Role]:
    """Active roles strictly below ``actor``'s current level (every active role for an active
    superuser)."""
    from django_rbac.models import Role

    check_user(actor, "actor")
    roles: RoleQuerySet[Role] = Role.objects.filter(is_active=True)
    if not is_superuser(actor):
        roles = roles.filter(hierarchy_level__lt=hierarchy_level(actor))
    return roles
