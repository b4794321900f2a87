"""Assigning and revoking roles, refusing privilege escalation.

Rule: an actor may assign or revoke only roles strictly below their own current level, and only
for users whose standing level (the highest level they hold or will hold; 101 for a superuser) is
strictly below it. Active superusers are the exception. Each call takes its row locks first (user
and actor in key order, then the role) and checks afterwards, on the rows it read under those
locks, in one transaction: a refused call leaves the database as it was, and a change another
transaction committed while this one waited cannot be missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, router, transaction
from django.utils import timezone

from django_rbac import access
from django_rbac.exceptions import (
    InactiveRoleError,
    InvalidArgumentError,
    InvalidAssignmentPeriodError,
    RoleEscalationError,
    RoleNotAssignedError,
    UserEscalationError,
)
from django_rbac.models import Role, UserRole
from django_rbac.signals import role_assigned, role_revoked


def check_can_manage(actor: Any, user: Any, role: Role, verb: str = "assign") -> None:
    """Raise ``RoleEscalationError`` / ``UserEscalationError`` unless ``actor`` may ``verb``
    ``role`` for ``user``: ``actor``'s current level must be strictly above the role's level
    and above the highest level ``user`` holds or will hold (active superusers always may).

    This reads the objects as given; the services call it on rows they have just locked.
    """
    access.check_user(actor, "actor")
    access.check_user(user, "user")
    access.check_role(role)
    if user is None:
        raise InvalidArgumentError("user", user, "the user to act on")
    if role is None:
        raise InvalidArgumentError("role", role, "a Role instance")
    if access.is_superuser(actor):
        return
    level = access.hierarchy_level(actor)
    if not access.can_manage_role(actor, role):
        raise RoleEscalationError(actor, role, level, verb)
    if not access.can_manage_user(actor, user):
        raise UserEscalationError(actor, user, level, access.standing_level(user))


@dataclass
class _Locked:
    """Fresh copies of the rows a service works on, read after their locks were taken."""

    user: Any
    actor: Any
    role: Role


def _require_user(value: Any, argument: str) -> None:
    model = get_user_model()
    if not isinstance(value, model) or value.pk is None:
        raise InvalidArgumentError(argument, value, f"a saved {model._meta.label} instance")


def _require_role(value: Any) -> None:
    if not isinstance(value, Role):
        raise InvalidArgumentError("role", value, "a saved Role instance")


def _require_datetime(value: Any, argument: str) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise InvalidArgumentError(argument, value, "a timezone-aware datetime or None")


def _lock(user: Any, role: Role, actor: Any) -> _Locked:
    """Lock the user and the actor (one statement, in key order, so that two calls naming the
    same two users the other way round cannot deadlock), then the role; return fresh copies.

    Every check runs on these copies, inside the same transaction: a promotion, demotion or
    role change committed by another transaction while this one waited is seen.
    """
    model = get_user_model()
    actor_is_user = isinstance(actor, model) and actor.pk is not None
    keys = {user.pk, actor.pk} if actor_is_user else {user.pk}
    rows = {
        row.pk: row
        for row in model._base_manager.select_for_update().filter(pk__in=keys).order_by("pk")
    }
    if user.pk not in rows:
        raise InvalidArgumentError("user", user, f"a saved {model._meta.label} instance")
    if actor_is_user and actor.pk not in rows:
        raise InvalidArgumentError("actor", actor, f"a saved {model._meta.label} instance")
    fresh_role = Role.all_objects.select_for_update().filter(pk=role.pk).first()
    if fresh_role is None:
        raise InvalidArgumentError("role", role, "a saved Role instance")
    return _Locked(
        user=rows[user.pk], actor=rows[actor.pk] if actor_is_user else actor, role=fresh_role
    )


def assign_role(
    user: Any,
    role: Role,
    assigned_by: Any,
    *,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    is_primary: bool = False,
) -> UserRole:
    """Give ``role`` to ``user``; returns the assignment.

    Idempotent: if ``user`` already holds an open assignment of ``role`` that has not expired,
    that assignment is returned and nothing changes (so concurrent calls end with exactly one
    assignment). An expired one is closed and replaced. ``is_primary`` demotes the user's
    previous primary role. Sends ``role_assigned`` when a new assignment is made.
    """
    _require_user(user, "user")
    _require_role(role)
    access.check_user(assigned_by, "assigned_by")
    _require_datetime(valid_from, "valid_from")
    _require_datetime(valid_to, "valid_to")
    if not isinstance(is_primary, bool):
        raise InvalidArgumentError("is_primary", is_primary, "True or False")
    valid_from = valid_from or timezone.now()
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidAssignmentPeriodError(valid_from, valid_to)
    using = router.db_for_write(UserRole)
    for attempt in range(2):
        try:
            with transaction.atomic(using=using):
                locked = _lock(user, role, assigned_by)
                if not locked.role.grants_access:
                    raise InactiveRoleError(locked.role)
                check_can_manage(locked.actor, locked.user, locked.role, "assign")
                created, assignment = _assign_locked(
                    user, locked.role, assigned_by, valid_from, valid_to, is_primary
                )
                if created:
                    role_assigned.send(
                        sender=UserRole,
                        user_role=assignment,
                        user=user,
                        role=locked.role,
                        assigned_by=assigned_by,
                    )
            break
        except IntegrityError:
            # Another writer got in between (possible where row locks are not supported): the
            # second pass sees its committed row and returns it.
            if attempt:
                raise
    access.clear_cache(user, assigned_by)
    return assignment


def _assign_locked(
    user: Any,
    role: Role,
    assigned_by: Any,
    valid_from: datetime,
    valid_to: datetime | None,
    is_primary: bool,
) -> tuple[bool, UserRole]:
    now = timezone.now()
    existing = UserRole.objects.open().filter(user_id=user.pk, role_id=role.pk).first()
    if existing is not None:
        if existing.valid_to is None or existing.valid_to > now:
            return False, existing
        existing.revoked_at = now  # expired: close it so a new one can open
        existing.save(update_fields=["revoked_at", "updated_at"])
    if is_primary:
        UserRole.objects.open().filter(user_id=user.pk, is_primary=True).update(
            is_primary=False, updated_at=now
        )
    assignment = UserRole.objects.create(
        user=user,
        role=role,
        assigned_by=assigned_by,
        valid_from=valid_from,
        valid_to=valid_to,
        is_primary=is_primary,
    )
    return True, assignment


def revoke_role(user: Any, role: Role, revoked_by: Any) -> UserRole:
    """Close ``user``'s open assignment of ``role`` now; returns it.

    Refused with ``RoleEscalationError`` / ``UserEscalationError`` like ``assign_role``, and with
    ``RoleNotAssignedError`` when there is nothing to revoke. Sends ``role_revoked``.
    """
    _require_user(user, "user")
    _require_role(role)
    access.check_user(revoked_by, "revoked_by")
    with transaction.atomic(using=router.db_for_write(UserRole)):
        locked = _lock(user, role, revoked_by)
        check_can_manage(locked.actor, locked.user, locked.role, "revoke")
        assignment: UserRole | None = (
            UserRole.objects.open().filter(user_id=user.pk, role_id=role.pk).first()
        )
        if assignment is None:
            raise RoleNotAssignedError(user, role)
        now = timezone.now()
        assignment.revoked_at = now
        assignment.revoked_by = revoked_by
        started = assignment.valid_from < now
        if started and (assignment.valid_to is None or assignment.valid_to > now):
            assignment.valid_to = now  # the history shows when the access really ended
        assignment.save(update_fields=["revoked_at", "revoked_by", "valid_to", "updated_at"])
        role_revoked.send(
            sender=UserRole, user_role=assignment, user=user, role=role, revoked_by=revoked_by
        )
    access.clear_cache(user, revoked_by)
    return assignment
