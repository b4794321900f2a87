"""Querysets whose bulk paths keep the toggle signals and the request cache correct.

``update()``, soft ``delete()``/``restore()`` (with what they cascade to), ``bulk_create()`` and
``bulk_update()`` take database snapshots around the write and hand them to ``tracking.emit``.
Hard deletes go through Django's collector, which sends ``post_delete`` for every row, and soft
deletes started from another model (an organization) arrive through django-basemodels' signals
(see ``apps.py`` and ``tracking``).

This module stands below the models (which build their managers from these querysets): it never
imports them. The querysets are generic in their model and reach the tracked model's own methods
through ``tracked_model``. Each model's three managers come from one class built here
(django-basemodels' ``SoftDeleteManager`` with ``rows=``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import DataError, IntegrityError, connections, models, transaction

from django_basemodels.constraints import conditional_uniqueness_enforced
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import alters_data
from django_basemodels.query import SoftDeleteManager, SoftDeleteQuerySet
from django_modules import tracking
from django_modules.exceptions import (
    BulkWriteError,
    InvalidArgumentError,
    UnsupportedBulkOperationError,
)
from django_modules.tracking import TrackedModel
from django_modules.validation import check_instance, check_update_values

_T = TypeVar("_T")
_Model = TypeVar("_Model", bound=models.Model, covariant=True)


class TrackedQuerySet(SoftDeleteQuerySet[_Model]):
    """Every write path of a tracked model (a ``TrackedModel`` subclass)."""

    @property
    def tracked_model(self) -> type[TrackedModel]:
        """``self.model``, with the methods of ``TrackedModel`` (``live_duplicate()`` ...)."""
        return self.model

    @alters_data
    def update(self, **kwargs: Any) -> int:
        check_update_values(self.model, kwargs)
        if not kwargs.keys() & self.tracked_model.WATCHED_FIELDS:
            try:  # no savepoint here: this path keeps its one query
                count: int = super().update(**kwargs)
            except (IntegrityError, DataError) as error:
                raise BulkWriteError(self.model, error) from error
            return count
        with transaction.atomic(using=self.db):
            fields = self.tracked_model.TOGGLE_FIELDS
            locked = self.order_by("pk").select_for_update()  # pk order: no deadlocks
            rows = list(locked.values_list("pk", "deleted_at", *fields))
            before = {row[0]: row[2:] for row in rows if row[1] is None}
            identities = [_identity_after(fields[:-1], row[2:-1], kwargs) for row in rows]
            pks = [row[0] for row in rows]
            updated: int = _write_or_explain(
                self.tracked_model,
                self.db,
                identities,
                pks,
                lambda: super(TrackedQuerySet, self).update(**kwargs),
            )
            after = tracking.snapshot(self.tracked_model, pks, self.db)
            tracking.emit(self.tracked_model, before, after, self.db)
        return updated

    @alters_data
    def soft_delete_at(self, moment: datetime | None) -> tuple[int, dict[str, int]]:
        return self._tracked_soft_write(lambda: super(TrackedQuerySet, self).soft_delete_at(moment))

    @alters_data
    def restore(self) -> int:
        restored: int = self._tracked_soft_write(lambda: super(TrackedQuerySet, self).restore())
        return restored

    def _tracked_soft_write(self, write: Callable[[], _T]) -> _T:
        """Soft delete or restore, snapshotting this queryset's rows and what they cascade to."""
        db = self.db
        model = self.tracked_model
        with transaction.atomic(using=db):
            fields = model.TOGGLE_FIELDS
            rows = list(self.order_by("pk").values_list("pk", *fields[:-1]))
            pks = [row[0] for row in rows]
            groups: list[tuple[type[TrackedModel], Any]] = [
                (model, model.all_objects.using(db).filter(pk__in=pks))
            ]
            groups += model.cascaded_rows(pks, db)
            befores = [tracking.locked_snapshot(rows_of_model) for _, rows_of_model in groups]
            identities = [row[1:] for row in rows]
            result = _write_or_explain(model, db, identities, pks, write)
            for (model, rows_of_model), before in zip(groups, befores, strict=True):
                after = tracking.snapshot(model, rows_of_model.values_list("pk", flat=True), db)
                tracking.emit(model, before, after, db)
        return result

    @alters_data
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise UnsupportedBulkOperationError(
                f"{self.model.__name__}.objects.bulk_create(ignore_conflicts/update_conflicts)",
                "rows skipped by the database could not be told apart from rows written; "
                "use the services (enable_module, disable_module, set_module_default)",
            )
        objs = list(objs)
        self._check_objects(objs)
        live = [obj for obj in objs if obj.deleted_at is None]
        identities = [obj.toggle_values()[:-1] for obj in live]
        model = self.tracked_model
        error = model.in_batch_duplicate(identities, live)
        if error is not None:
            raise error
        if live and not conditional_uniqueness_enforced(connections[self.db]):
            error = model.live_duplicate(self.db, identities)
            if error is not None:
                raise error

        def write() -> list[Any]:
            with transaction.atomic(using=self.db):
                created: list[Any] = _write_or_explain(
                    model,
                    self.db,
                    identities,
                    (),
                    lambda: super(TrackedQuerySet, self).bulk_create(objs, *args, **kwargs),
                )
                after = {obj.pk: obj.toggle_values() for obj in live}
                tracking.emit(model, {}, after, self.db, known={obj.pk: obj for obj in live})
            return created

        # As in save(): a racing insert that InnoDB picks as a deadlock's victim runs again.
        return retrying_deadlocks(self.db, write)

    @alters_data
    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        # Django's bulk_update() writes through self.filter(...).update(), which tracks the
        # toggles; here only a uniqueness violation is turned into the package's error.
        objs, fields = list(objs), list(fields)
        self._check_objects(objs, fields)
        if not set(fields) & self.tracked_model.WATCHED_FIELDS:
            count: int = super().bulk_update(objs, fields, batch_size=batch_size)
            return count
        identities = [obj.toggle_values()[:-1] for obj in objs if obj.deleted_at is None]
        pks = [obj.pk for obj in objs]
        updated: int = _write_or_explain(
            self.tracked_model,
            self.db,
            identities,
            pks,
            lambda: super(TrackedQuerySet, self).bulk_update(objs, fields, batch_size=batch_size),
        )
        return updated

    def _check_objects(self, objs: list[Any], fields: list[str] | None = None) -> None:
        for obj in objs:
            if not isinstance(obj, self.model):
                raise InvalidArgumentError("objs", obj, f"{self.model.__name__} instances")
            check_instance(obj, fields)


class ModuleQuerySet(TrackedQuerySet[_Model]):
    pass


class OrgModuleStateQuerySet(TrackedQuerySet[_Model]):
    pass


# One manager class per model: ``Manager()``, ``Manager(rows="all")`` and
# ``Manager(rows="dead")`` are its ``objects``, ``all_objects`` and ``deleted_objects``.
ModuleManager = SoftDeleteManager.from_queryset(ModuleQuerySet)
OrgModuleStateManager = SoftDeleteManager.from_queryset(OrgModuleStateQuerySet)


def _write_or_explain(
    model: type[TrackedModel],
    using: str,
    identities: Sequence[tuple[Any, ...]],
    exclude: Iterable[Any],
    write: Callable[[], _T],
) -> _T:
    """Run ``write`` in a savepoint; turn what the database refuses into the package's error."""
    try:
        with transaction.atomic(using=using):
            return write()
    except (IntegrityError, BulkWriteError) as integrity_error:
        # BulkWriteError: a nested write (bulk_update runs update()) that knew less than we do.
        error = model.live_duplicate(using, identities, exclude=exclude) if identities else None
        if error is not None:
            raise error from integrity_error
        if isinstance(integrity_error, BulkWriteError):
            raise
        raise BulkWriteError(model, integrity_error) from integrity_error
    except DataError as data_error:  # a value the column cannot hold, from an expression
        raise BulkWriteError(model, data_error) from data_error


def _identity_after(
    fields: Sequence[str], identity: Sequence[Any], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """A row's identity once ``update(**kwargs)`` applies (``module=obj`` sets ``module_id``)."""
    values = []
    for name, value in zip(fields, identity, strict=True):
        for candidate in (name, name.removesuffix("_id")):
            if candidate in kwargs:
                new = kwargs[candidate]
                # An expression (bulk_update's CASE) is left alone: bulk_update checks its objects.
                if not hasattr(new, "resolve_expression"):
                    value = getattr(new, "pk", new)
                break
        values.append(value)
    return tuple(values)
