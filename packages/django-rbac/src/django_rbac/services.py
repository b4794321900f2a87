"""Assigning and revoking roles, refusing privilege escalation; syncing module permissions.

Rule: an actor may assign or revoke only roles strictly below their own level, and only for
users strictly below their own level. Active superusers are the exception. Every function is
atomic: a refused call leaves the database as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, router, transaction
from django.utils import timezone

from django_rbac import access
from django_rbac.conf import MAX_LEVEL
from django_rbac.exceptions import (
    InactiveRoleError,
    InvalidAssignmentPeriodError,
    RoleEscalationError,
    RoleNotAssignedError,
    UserEscalationError,
)
from django_rbac.models import Role, UserRole
from django_rbac.signals import role_assigned, role_revoked


def check_can_manage(actor: Any, user: Any, role: Role, verb: str = "assign") -> None:
    """Raise ``RoleEscalationError`` / ``UserEscalationError`` unless ``actor`` may ``verb``
    ``role`` for ``user``."""
    if access.is_superuser(actor):
        return
    level = access.hierarchy_level(actor)
    if not access.can_manage_role(actor, role):
        raise RoleEscalationError(actor, role, level, verb)
    if not access.can_manage_user(actor, user):
        # A superuser ranks above every role level, so report them one above the top.
        other = MAX_LEVEL + 1 if access.is_superuser(user) else access.hierarchy_level(user)
        raise UserEscalationError(actor, user, level, other)


def _lock_user(user: Any) -> None:
    # Serialize every assignment change of one user: concurrent assign_role calls queue here.
    type(user)._default_manager.select_for_update().filter(pk=user.pk).first()


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
    valid_from = valid_from or timezone.now()
    if valid_to is not None and valid_to <= valid_from:
        raise InvalidAssignmentPeriodError(valid_from, valid_to)
    role = Role.all_objects.get(pk=role.pk)  # fresh state: a role deactivated meanwhile
    if not role.grants_access:
        raise InactiveRoleError(role)
    check_can_manage(assigned_by, user, role, "assign")
    using = router.db_for_write(UserRole)
    for attempt in range(2):
        try:
            with transaction.atomic(using=using):
                created, assignment = _assign_locked(
                    user, role, assigned_by, valid_from, valid_to, is_primary
                )
                if created:
                    role_assigned.send(
                        sender=UserRole,
                        user_role=assignment,
                        user=user,
                        role=role,
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


def _assign_locked(user, role, assigned_by, valid_from, valid_to, is_primary):
    _lock_user(user)
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


@transaction.atomic
def revoke_role(user: Any, role: Role, revoked_by: Any) -> UserRole:
    """Close ``user``'s open assignment of ``role`` now; returns it.

    Refused with ``RoleEscalationError`` / ``UserEscalationError`` like ``assign_role``, and with
    ``RoleNotAssignedError`` when there is nothing to revoke. Sends ``role_revoked``.
    """
    check_can_manage(revoked_by, user, role, "revoke")
    _lock_user(user)
    assignment = UserRole.objects.open().filter(user_id=user.pk, role_id=role.pk).first()
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
