"""The queryset and managers behind soft delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone


class SoftDeleteQuerySet(models.QuerySet):
    """A queryset whose ``delete()`` marks rows deleted instead of removing them.

    ``delete()`` is one UPDATE whatever the number of rows; ``restore()`` undoes it and
    ``hard_delete()`` removes rows for real (Django's own delete, with its cascade).
    """

    def delete(self) -> tuple[int, dict[str, int]]:
        return self.soft_delete_at(timezone.now())

    delete.alters_data = True
    delete.queryset_only = True

    def soft_delete_at(self, moment: datetime) -> tuple[int, dict[str, int]]:
        """Soft-delete the live rows of this queryset, stamping them with ``moment``."""
        count = self.filter(deleted_at__isnull=True).update(**self._stamped(deleted_at=moment))
        return count, {self.model._meta.label: count}

    soft_delete_at.alters_data = True

    def restore(self) -> int:
        """Bring soft-deleted rows back; returns how many were restored."""
        return self.filter(deleted_at__isnull=False).update(**self._stamped(deleted_at=None))

    restore.alters_data = True

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        """Delete rows from the database, as Django's ``QuerySet.delete()`` does."""
        return super().delete()

    hard_delete.alters_data = True

    def _stamped(self, deleted_at: Any) -> dict[str, Any]:
        """The UPDATE's values: ``deleted_at``, plus ``updated_at`` when the model has one."""
        values = {"deleted_at": deleted_at}
        if any(field.name == "updated_at" for field in self.model._meta.concrete_fields):
            values["updated_at"] = deleted_at or timezone.now()
        return values

    def alive(self) -> SoftDeleteQuerySet:
        return self.filter(deleted_at__isnull=True)

    def dead(self) -> SoftDeleteQuerySet:
        return self.filter(deleted_at__isnull=False)


class SoftDeleteManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """``objects``: rows that are not soft-deleted."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllObjectsManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """``all_objects``: every row, deleted or not."""


class DeletedObjectsManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """``deleted_objects``: soft-deleted rows only."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=False)


def soft_delete_queryset_for(base: type[models.QuerySet]) -> type[Any]:
    """A queryset class combining ``base`` (a package's own QuerySet) with soft delete."""
    return type(f"SoftDelete{base.__name__}", (SoftDeleteQuerySet, base), {})
