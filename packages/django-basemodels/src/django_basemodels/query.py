"""The querysets and managers behind soft delete.

All three managers are built on ``SoftDeleteQuerySet`` and differ only in which rows they start
from. A package that brings its own QuerySet class gets all three from ONE manager class, built
once at module level (where type checkers follow ``from_queryset``)::

    PetManager = SoftDeleteManager.from_queryset(PetQuerySet)

    class Pet(BaseModel):
        objects = PetManager()  # alive rows
        all_objects = PetManager(rows="all")
        deleted_objects = PetManager(rows="dead")

``from_queryset`` combines the class with ``SoftDeleteQuerySet`` when it does not already extend
it, so deleted rows stay hidden and ``delete()`` stays soft.

``GuardedQuerySet`` adds what packages with database constraints share: a bulk write that the
database refuses is rolled back and raised as the package's own error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, get_args

from django.db import DataError, IntegrityError, models, transaction

from django_basemodels import records, services
from django_basemodels.exceptions import BulkWriteError, ManagerRowsError, SoftDeleteBypassError
from django_basemodels.markers import alters_data, queryset_only

if TYPE_CHECKING:
    from typing_extensions import Self

_M = TypeVar("_M", bound=models.Model, covariant=True)
_T = TypeVar("_T")

Rows = Literal["alive", "all", "dead"]
ROWS: tuple[Rows, ...] = get_args(Rows)


class SoftDeleteQuerySet(models.QuerySet[_M]):
    """A queryset whose ``delete()`` marks rows deleted instead of removing them.

    ``delete()`` is one UPDATE plus one per model the cascade reaches, whatever the number of
    rows; ``restore()`` undoes exactly that; ``hard_delete()`` removes rows for real (Django's own
    delete, with its cascade). ``update()``, ``bulk_update()`` and ``bulk_create()`` refuse to write
    ``deleted_at``, which would skip the cascade.
    """

    @alters_data
    @queryset_only
    def delete(self) -> tuple[int, dict[str, int]]:
        return self.soft_delete_at(None)

    @alters_data
    def soft_delete_at(self, moment: datetime | None) -> tuple[int, dict[str, int]]:
        """Soft-delete the live rows of this queryset and their cascade, stamped with ``moment``.

        ``None`` means now. Returns Django's ``(total, {label: count})``.
        """
        self._refuse_unwritable("delete")
        return services.soft_delete(self, moment)

    @alters_data
    def restore(self) -> int:
        """Bring soft-deleted rows back with what their delete took; returns how many rows of
        this queryset's model came back."""
        self._refuse_unwritable("restore")
        _total, counts = services.restore(self)
        return counts[self.model._meta.label]

    @alters_data
    @queryset_only
    def hard_delete(self) -> tuple[int, dict[str, int]]:
        """Delete rows from the database, as Django's ``QuerySet.delete()`` does, and the
        operation records of the soft-deleted rows that went with them."""
        with transaction.atomic(using=self.db, savepoint=False):
            result = super().delete()
            records.forget_missing(result[1], self.db)
        return result

    @alters_data
    def update(self, **kwargs: Any) -> int:
        if "deleted_at" in kwargs:
            raise SoftDeleteBypassError(self.model, "update()")
        return super().update(**kwargs)

    @alters_data
    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        if any(getattr(obj, "deleted_at", None) is not None for obj in objs):
            raise SoftDeleteBypassError(self.model, "bulk_create()")
        return super().bulk_create(objs, *args, **kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        if "deleted_at" in fields:
            raise SoftDeleteBypassError(self.model, "bulk_update()")
        return super().bulk_update(objs, fields, batch_size=batch_size)

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


class GuardedQuerySet(SoftDeleteQuerySet[_M]):
    """Bulk writes (``update()``, ``bulk_create()``, ``bulk_update()``, ``restore()``) that the
    database refuses are rolled back and raised as ``write_error(model, fields, error)``.

    A package sets ``write_error`` to its own error class and refines two hooks that run before
    anything is written, for a precise error where Python can tell: ``check_row(obj, fields)``
    for each object of ``bulk_create()`` (``fields`` is ``None``) and ``bulk_update()``, and
    ``check_update(values)`` for the values of ``update()``.
    """

    # Called as write_error(model, fields, error): the package's error for a refused write.
    write_error: ClassVar[type[Exception]] = BulkWriteError
    # DataError: an expression computed a value the column cannot hold (too long, out of range).
    refused_errors: ClassVar[tuple[type[Exception], ...]] = (IntegrityError, DataError)

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        """Raise the package's error for a row that would break a rule (nothing by default)."""

    def check_update(self, values: dict[str, Any]) -> None:
        """Raise the package's error for ``update()`` values that break a rule (nothing here)."""

    @alters_data
    def update(self, **kwargs: Any) -> int:
        self.check_update(kwargs)
        return self.refusing(list(kwargs), super().update, **kwargs)

    @alters_data
    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        for obj in objs:
            self.check_row(obj, None)
        return self.refusing([], super().bulk_create, objs, *args, **kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        fields = list(fields)  # read once: a generator would be empty by the time Django reads it
        for obj in objs:
            self.check_row(obj, fields)
        return self.refusing(fields, super().bulk_update, objs, fields, batch_size=batch_size)

    @alters_data
    def restore(self) -> int:
        # Bringing a row back can collide with the live row that took its unique value.
        return self.refusing(["deleted_at"], super().restore)

    def refusing(
        self, fields: list[str], write: Callable[..., _T], *args: Any, **kwargs: Any
    ) -> _T:
        """Run ``write(*args, **kwargs)`` in a savepoint; what the database refuses (writing
        ``fields``) is rolled back and raised as ``write_error``."""
        try:
            with transaction.atomic(using=self.db):
                return write(*args, **kwargs)
        except self.refused_errors as error:
            raise self.write_error(self.model, fields, error) from error


def soft_delete_queryset_for(
    base: type[models.QuerySet[Any, Any]],
) -> type[SoftDeleteQuerySet[Any]]:
    """A queryset class combining ``base`` (a package's own QuerySet) with soft delete."""
    if issubclass(base, SoftDeleteQuerySet):
        return base
    return type(f"SoftDelete{base.__name__}", (SoftDeleteQuerySet, base), {})


class _RowsManager(models.Manager[_M]):
    """A manager over ``SoftDeleteQuerySet`` that starts from alive, all or dead rows.

    Each class has its default (``rows``); an instance may choose another (``rows="all"``), so
    that one manager class built over a package's QuerySet gives all three managers.
    """

    rows: Rows = "all"

    def __init__(self, rows: Rows | None = None) -> None:
        super().__init__()
        if rows is not None:
            if rows not in ROWS:
                raise ManagerRowsError(rows, ROWS)
            self.rows = rows

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
    """``objects``: rows that are not soft-deleted; ``rows="all"`` / ``rows="dead"`` make the
    other two managers from the same class."""

    rows: Rows = "alive"


class AllObjectsManager(SoftDeleteManager[_M]):
    """``all_objects``: every row, deleted or not (``SoftDeleteManager(rows="all")``)."""

    rows: Rows = "all"


class DeletedObjectsManager(SoftDeleteManager[_M]):
    """``deleted_objects``: soft-deleted rows only (``SoftDeleteManager(rows="dead")``)."""

    rows: Rows = "dead"
