"""The queryset and managers behind soft delete.

All three managers are built on ``SoftDeleteQuerySet`` and differ only in which rows they start
from. A package that brings its own QuerySet class keeps soft delete by building its managers with
``SoftDeleteManager.from_queryset(TheirQuerySet)``: the class is combined with
``SoftDeleteQuerySet`` when it does not already extend it, so deleted rows stay hidden and
``delete()`` stays soft.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from django_basemodels.exceptions import SoftDeleteBypassError

if TYPE_CHECKING:
    from typing_extensions import Self

_M = TypeVar("_M", bound=models.Model, covariant=True)


class SoftDeleteQuerySet(models.QuerySet[_M]):
    """A queryset whose ``delete()`` marks rows deleted instead of removing them.

    ``delete()`` is one UPDATE plus one per model the cascade reaches, whatever the number of
    rows; ``restore()`` undoes exactly that; ``hard_delete()`` removes rows for real (Django's own
    delete, with its cascade). ``update()``, ``bulk_update()`` and ``bulk_create()`` refuse to write
    ``deleted_at``, which would skip the cascade.
    """

    def delete(self) -> tuple[int, dict[str, int]]:
        return self.soft_delete_at(None)

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def soft_delete_at(self, moment: datetime | None) -> tuple[int, dict[str, int]]:
        """Soft-delete the live rows of this queryset and their cascade, stamped with ``moment``.

        ``None`` means now. Returns Django's ``(total, {label: count})``.
        """
        from django_basemodels.services import soft_delete

        self._refuse_unwritable("delete")
        return soft_delete(self, moment)

    soft_delete_at.alters_data = True  # type: ignore[attr-defined]

    def restore(self) -> int:
        """Bring soft-deleted rows back with what their delete took; returns how many rows of
        this queryset's model came back."""
        from django_basemodels.services import restore

        self._refuse_unwritable("restore")
        _total, counts = restore(self)
        return counts[self.model._meta.label]

    restore.alters_data = True  # type: ignore[attr-defined]

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        """Delete rows from the database, as Django's ``QuerySet.delete()`` does, and the
        operation records of the soft-deleted rows that went with them."""
        from django_basemodels import records  # records imports the models, which import us

        with transaction.atomic(using=self.db, savepoint=False):
            result = super().delete()
            records.forget_missing(result[1], self.db)
        return result

    hard_delete.alters_data = True  # type: ignore[attr-defined]
    hard_delete.queryset_only = True  # type: ignore[attr-defined]

    def update(self, **kwargs: Any) -> int:
        if "deleted_at" in kwargs:
            raise SoftDeleteBypassError(self.model, "update()")
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        if any(getattr(obj, "deleted_at", None) is not None for obj in objs):
            raise SoftDeleteBypassError(self.model, "bulk_create()")
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        if "deleted_at" in fields:
            raise SoftDeleteBypassError(self.model, "bulk_update()")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True  # type: ignore[attr-defined]

    def alive(self) -> Self:
        alive: Self = self.filter(deleted_at__isnull=True)
        return alive

    def dead(self) -> Self:
        dead: Self = self.filter(deleted_at__isnull=False)
        return dead

    def _refuse_unwritable(self, operation: str) -> None:
        # The same refusals as Django's own QuerySet.delete().
        self._not_support_combined_queries(operation)  # type: ignore[attr-defined]
        if self.query.is_sliced:
            raise TypeError(f"Cannot use 'limit' or 'offset' with {operation}().")
        if self.query.distinct_fields:
            raise TypeError(f"Cannot call {operation}() after .distinct(*fields).")
        if self._fields is not None:  # type: ignore[attr-defined]
            raise TypeError(f"Cannot call {operation}() after .values() or .values_list()")


def soft_delete_queryset_for(
    base: type[models.QuerySet[Any, Any]],
) -> type[SoftDeleteQuerySet[Any]]:
    """A queryset class combining ``base`` (a package's own QuerySet) with soft delete."""
    if issubclass(base, SoftDeleteQuerySet):
        return base
    return type(f"SoftDelete{base.__name__}", (SoftDeleteQuerySet, base), {})


class _RowsManager(models.Manager[_M]):
    """A manager over ``SoftDeleteQuerySet`` that starts from alive, all or dead rows."""

    rows = "all"

    def get_queryset(self) -> SoftDeleteQuerySet[_M]:
        queryset = super().get_queryset()
        assert isinstance(queryset, SoftDeleteQuerySet)  # from_queryset() below sees to it
        if self.rows == "alive":
            return queryset.alive()
        if self.rows == "dead":
            return queryset.dead()
        return queryset


# The manager methods that chain (filter(), alive(), restore() ...) return SoftDeleteQuerySet.
_SoftDeleteManagerBase = _RowsManager.from_queryset(SoftDeleteQuerySet)


class _CombiningManager(_SoftDeleteManagerBase[_M]):
    @classmethod
    def from_queryset(
        cls, queryset_class: type[models.QuerySet[Any, Any]], class_name: str | None = None
    ) -> type[Any]:
        """Build this manager over ``queryset_class`` combined with ``SoftDeleteQuerySet``."""
        return super().from_queryset(soft_delete_queryset_for(queryset_class), class_name)


class SoftDeleteManager(_CombiningManager[_M]):
    """``objects``: rows that are not soft-deleted."""

    rows = "alive"


class AllObjectsManager(_CombiningManager[_M]):
    """``all_objects``: every row, deleted or not."""


class DeletedObjectsManager(_CombiningManager[_M]):
    """``deleted_objects``: soft-deleted rows only."""

    rows = "dead"
