"""Querysets and managers of ``Role`` and ``UserRole``.

Both keep soft delete (django-basemodels) and turn a bulk write that a database constraint
refuses into ``BulkWriteError``; plain values are checked in Python first (``validation``), so
every database gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import Group
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from django_basemodels.query import (
    AllObjectsManager,
    DeletedObjectsManager,
    SoftDeleteManager,
    SoftDeleteQuerySet,
)
from django_rbac.exceptions import BulkWriteError
from django_rbac.validation import check_assignment_values, check_role_values

if TYPE_CHECKING:
    from django_rbac.models import Role, UserRole  # noqa: F401  (quoted type arguments below)

_Result = TypeVar("_Result")
_Model = TypeVar("_Model", bound=models.Model)


class GuardedQuerySet(SoftDeleteQuerySet[_Model]):
    """Bulk writes that a database constraint refuses become ``BulkWriteError``."""

    def update(self, **kwargs: Any) -> int:
        return self._refusing(list(kwargs), super().update, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        return self._refusing(
            list(fields), super().bulk_update, objs, fields, batch_size=batch_size
        )

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        return self._refusing([], super().bulk_create, objs, *args, **kwargs)

    def restore(self) -> int:
        return self._refusing(["deleted_at"], super().restore)

    def _refusing(
        self, fields: list[str], write: Callable[..., _Result], *args: Any, **kwargs: Any
    ) -> _Result:
        try:
            with transaction.atomic(using=self.db):
                return write(*args, **kwargs)
        except IntegrityError as error:
            raise BulkWriteError(self.model, fields, error) from error


class RoleQuerySet(GuardedQuerySet["Role"]):
    def update(self, **kwargs: Any) -> int:
        check_role_values(kwargs)
        fixed = sorted({"group", "group_id", "slug"}.intersection(kwargs))
        if fixed:
            # The group belongs to its role and is named after the slug: save() keeps them
            # together, a bulk UPDATE cannot.
            raise BulkWriteError(self.model, fixed, "change the slug with save(); the group never")
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Creates each role's group too (one INSERT for all the groups)."""
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        with transaction.atomic(using=self.db):
            missing = [obj for obj in objs if obj.group_id is None]
            groups = Group.objects.using(self.db).bulk_create(
                [Group(name=obj._group_name()) for obj in missing]
            )
            for obj, group in zip(missing, groups, strict=True):
                obj.group = group
            return super().bulk_create(objs, *args, **kwargs)


class UserRoleQuerySet(GuardedQuerySet["UserRole"]):
    def update(self, **kwargs: Any) -> int:
        check_assignment_values(kwargs)
        return super().update(**kwargs)

    def open(self) -> UserRoleQuerySet:
        """Assignments not revoked (current, future or expired-but-not-closed)."""
        assignments: UserRoleQuerySet = self.filter(revoked_at__isnull=True)
        return assignments

    def current(self, at: datetime | None = None) -> UserRoleQuerySet:
        """Assignments in force at ``at`` (now by default) of an active, non-deleted role."""
        at = at or timezone.now()
        assignments: UserRoleQuerySet = self.open().filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=at),
            valid_from__lte=at,
            role__is_active=True,
            role__deleted_at__isnull=True,
        )
        return assignments


# django-basemodels' soft-delete managers over these querysets, so that chains such as
# ``UserRole.objects.current().filter(...)`` keep their types.
_LiveRoles = SoftDeleteManager.from_queryset(RoleQuerySet)
_AllRoles = AllObjectsManager.from_queryset(RoleQuerySet)
_DeletedRoles = DeletedObjectsManager.from_queryset(RoleQuerySet)
_LiveAssignments = SoftDeleteManager.from_queryset(UserRoleQuerySet)
_AllAssignments = AllObjectsManager.from_queryset(UserRoleQuerySet)
_DeletedAssignments = DeletedObjectsManager.from_queryset(UserRoleQuerySet)


class RoleManager(_LiveRoles["Role"]):
    """``Role.objects``: hides soft-deleted roles."""


class AllRolesManager(_AllRoles["Role"]):
    """``Role.all_objects``: every role, deleted or not."""


class DeletedRolesManager(_DeletedRoles["Role"]):
    """``Role.deleted_objects``: soft-deleted roles only."""


class UserRoleManager(_LiveAssignments["UserRole"]):
    """``UserRole.objects``: hides soft-deleted assignments."""


class AllUserRolesManager(_AllAssignments["UserRole"]):
    """``UserRole.all_objects``: every assignment, deleted or not."""


class DeletedUserRolesManager(_DeletedAssignments["UserRole"]):
    """``UserRole.deleted_objects``: soft-deleted assignments only."""
