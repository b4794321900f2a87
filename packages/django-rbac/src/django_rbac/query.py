"""Querysets and managers of ``Role`` and ``UserRole``.

Both are django-basemodels' ``GuardedQuerySet``: soft delete, and a bulk write that a database
constraint refuses becomes ``BulkWriteError``; plain values are checked in Python first
(``validation``), so every database gives the same answer. Each model's three managers come from
the one manager class built here. The querysets are generic in the model, so that this module
needs nothing from ``models`` (which stands on it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from typing_extensions import Self

from django_basemodels.markers import alters_data
from django_basemodels.query import GuardedQuerySet, SoftDeleteManager
from django_rbac.exceptions import BulkWriteError
from django_rbac.validation import check_assignment_values, check_role_values

__all__ = [
    "GuardedQuerySet",
    "RoleManager",
    "RoleQuerySet",
    "UserRoleManager",
    "UserRoleQuerySet",
]

_Model = TypeVar("_Model", bound=models.Model, covariant=True)


class _RBACQuerySet(GuardedQuerySet[_Model]):
    """What both querysets share: the package's error, and each row checked as ``save()``
    checks it."""

    write_error = BulkWriteError

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        obj.check_invariants()


class RoleQuerySet(_RBACQuerySet[_Model]):
    def check_update(self, values: dict[str, Any]) -> None:
        check_role_values(values)
        fixed = sorted({"group", "group_id", "slug"}.intersection(values))
        if fixed:
            # The group belongs to its role and is named after the slug: save() keeps them
            # together, a bulk UPDATE cannot.
            raise BulkWriteError(self.model, fixed, "change the slug with save(); the group never")

    @alters_data
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


class UserRoleQuerySet(_RBACQuerySet[_Model]):
    def check_update(self, values: dict[str, Any]) -> None:
        check_assignment_values(values)

    def open(self) -> Self:
        """Assignments not revoked (current, future or expired-but-not-closed)."""
        assignments: Self = self.filter(revoked_at__isnull=True)
        return assignments

    def current(self, at: datetime | None = None) -> Self:
        """Assignments in force at ``at`` (now by default) of an active, non-deleted role."""
        at = at or timezone.now()
        assignments: Self = self.open().filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=at),
            valid_from__lte=at,
            role__is_active=True,
            role__deleted_at__isnull=True,
        )
        return assignments


# One manager class per model gives its three managers (objects, all_objects, deleted_objects),
# so that chains such as ``UserRole.objects.current().filter(...)`` keep their types.
RoleManager = SoftDeleteManager.from_queryset(RoleQuerySet)
UserRoleManager = SoftDeleteManager.from_queryset(UserRoleQuerySet)
