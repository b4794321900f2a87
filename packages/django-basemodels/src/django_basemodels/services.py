"""The operations behind soft delete: ``soft_delete()`` and ``restore()``, cascade included.

Both take a queryset and cost a fixed number of queries, whatever the number of rows: a soft
delete is one UPDATE for the queryset's own model plus one per model the cascade reaches (see
``cascade``), plus one INSERT of its operation records (see ``records``); a restore marks and
clears (two UPDATEs per model), reads what came back and removes its records (two more). Each
runs in one transaction (``atomic(savepoint=False)``, so no SAVEPOINT queries inside callers'
transactions) and locks rows in a fixed order: models parents first, rows by primary key.

How a batch is recognised: every row a soft delete writes, cascaded or not, is stamped with the
same ``deleted_at`` and recorded under the same operation id. A child belongs to its parent's
batch when both were taken by the same operation; a child deleted on its own, earlier or at the
very same moment, belongs to another operation and is left alone by restore().

How restore() walks down without forgetting: clearing a parent's ``deleted_at`` first would lose
the moment its children are matched by. So restore() first *marks* the batch top-down, moving each
``deleted_at`` back by ``MARK_SHIFT`` (a child is marked when a parent taken by the same operation
is marked with the child's own moment minus the shift), then clears the marks model by model.
Marks live only inside the transaction; real moments are therefore kept between ``earliest()``
and ``latest()``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, OuterRef, Q
from django.utils import timezone

from django_basemodels import records, signals
from django_basemodels.cascade import (
    Step,
    is_soft_deletable,
    plan_for,
    reached_models,
    resolved_model,
)
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.exceptions import (
    DeletionMomentError,
    NotSoftDeletableError,
    RestoreConflictError,
)
from django_basemodels.ids import uuid7

MARK_SHIFT = timedelta(days=328_725)  # about 900 years: marks stay in the year 1000+ range
_EARLIEST_UTC = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


def earliest() -> datetime:
    """The earliest ``deleted_at`` a soft delete may write; earlier values are restore marks."""
    return _EARLIEST_UTC if settings.USE_TZ else _EARLIEST_UTC.replace(tzinfo=None)


def latest() -> datetime:
    """Moments must stay before this, so that a marked moment is always before ``earliest()``."""
    return earliest() + MARK_SHIFT


def soft_delete(
    queryset: models.QuerySet[Any], moment: datetime | None = None
) -> tuple[int, dict[str, int]]:
    """Stamp the live rows of ``queryset`` and everything they cascade to with ``moment``.

    Returns Django's ``(total, {label: count})``; cascaded models appear when rows were written.
    """
    _check_queryset(queryset, "soft_delete")
    moment = timezone.now() if moment is None else moment
    _check_moment(moment)
    model, db = queryset.model, queryset.db
    operation = uuid7()
    stamp = _values(model, moment, moment)

    def stamp_step(step: Step) -> int:
        return _write(_stamped_children(step, moment, db), _values(step.model, moment, moment))

    def run() -> dict[str, int]:
        with transaction.atomic(using=db, savepoint=False):
            counts = {model._meta.label: _write(queryset.filter(deleted_at__isnull=True), stamp)}
            if counts[model._meta.label]:
                _run_plan(model, stamp_step, counts)
                written = [m for m in reached_models(model) if counts.get(m._meta.label)]
                records.record(operation, written, moment, db)
            signals.post_soft_delete.send(
                sender=model, moment=moment, counts=counts, using=db, operation=operation
            )
        return counts

    counts = retrying_deadlocks(db, run)
    return sum(counts.values()), counts


def restore(queryset: models.QuerySet[Any]) -> tuple[int, dict[str, int]]:
    """Bring back the soft-deleted rows of ``queryset`` and exactly what their delete took.

    Raises ``RestoreConflictError`` (and writes nothing) when a row would take back a unique
    value that a live row holds now.
    """
    _check_queryset(queryset, "restore")
    model, db = queryset.model, queryset.db
    mark = {"deleted_at": F("deleted_at") - MARK_SHIFT}
    now = timezone.now()

    def mark_step(step: Step) -> int:
        return _write(_marked_children(step, db), mark)

    def run() -> dict[str, int]:
        keys: dict[str, list[Any]] = {}
        operations: frozenset[Any] = frozenset()
        with transaction.atomic(using=db, savepoint=False):
            counts = {model._meta.label: _write(queryset.filter(deleted_at__gte=earliest()), mark)}
            if counts[model._meta.label]:
                _run_plan(model, mark_step, counts)
                written = [m for m in reached_models(model) if counts.get(m._meta.label)]
                marked = {m: _rows(m, db).filter(_is_marked()) for m in written}
                keys, operations = records.take(marked, db)
                for reached, rows in marked.items():
                    _clear(reached, rows, now)
            signals.post_restore.send(
                sender=model, counts=counts, using=db, keys=keys, operations=operations
            )
        return counts

    counts = retrying_deadlocks(db, run)
    return sum(counts.values()), counts


def _clear(model: type[models.Model], marked: models.QuerySet[Any], now: datetime) -> None:
    """Clear the marks of ``model``'s restored rows; a unique value taken meanwhile is named."""
    try:
        marked.update(**_values(model, None, now))
    except IntegrityError as error:
        raise RestoreConflictError(model, _unique_fields_in(model, error), error) from error


def _run_plan(root: type[models.Model], write: Any, counts: dict[str, int]) -> None:
    for group in plan_for(root):
        while True:
            written = 0
            for step in group.steps:
                count = write(step)
                if count:
                    label = step.model._meta.label
                    counts[label] = counts.get(label, 0) + count
                    written += count
            if not (group.repeat and written):
                break


def _stamped_children(step: Step, moment: datetime, db: str) -> models.QuerySet[Any]:
    """Live rows of ``step.model`` whose parent (through any cascade key) this operation took:
    it carries ``moment`` and no operation has recorded it yet."""
    reached = Q()
    for key in step.keys:
        parent_model = resolved_model(key.related_model)
        parents = (
            _rows(parent_model, db)
            .filter(deleted_at=moment)
            .exclude(records.is_recorded(parent_model, db))
        )
        reached |= Q(**{f"{key.attname}__in": parents.values(key.target_field.attname)})
    children: models.QuerySet[Any] = _rows(step.model, db).filter(reached, deleted_at__isnull=True)
    return children


def _marked_children(step: Step, db: str) -> models.QuerySet[Any]:
    """Deleted rows of ``step.model`` whose parent is marked with the child's own moment and
    was taken by the same operation."""
    children = _rows(step.model, db).annotate(deleted_by=records.operation_of(step.model, db))
    reached = Q()
    for key in step.keys:
        parents = _rows(resolved_model(key.related_model), db).filter(
            **{key.target_field.attname: OuterRef(key.attname)},
            deleted_at=OuterRef("deleted_at") - MARK_SHIFT,
        )
        reached |= records.same_operation(parents, db)
    reached_children: models.QuerySet[Any] = children.filter(reached, deleted_at__gte=earliest())
    return reached_children


def _write(rows: models.QuerySet[Any], values: dict[str, Any]) -> int:
    """One UPDATE of ``rows`` that locks them in primary-key order before writing them.

    The lock is FOR NO KEY UPDATE where the database has it (PostgreSQL): keys never change here,
    and a plain FOR UPDATE would also block the foreign-key checks that other transactions run
    on these rows at commit, which can deadlock with them.
    """
    connection = connections[rows.db]
    if connection.vendor == "mysql":
        # MariaDB has no FOR UPDATE OF: a locking subquery would also lock every row it reads in
        # other tables (the parents a cascade step filters by), in no fixed order, and deadlock
        # with an operation that holds those parents. A single-table UPDATE ... ORDER BY locks
        # only this model's rows, by primary key; under READ COMMITTED (Django's level there)
        # the tables its subqueries read are read without locks.
        plain: models.QuerySet[Any] = models.QuerySet(
            model=rows.model, query=rows.query.chain(), using=rows.db
        )
        ordered: int = plain.order_by("pk").update(**values)
        return ordered
    features = connection.features
    lock = rows.select_for_update(
        no_key=features.has_select_for_no_key_update,
        # Only this model's rows: a filter across relations joins other tables, which must not
        # be locked (and cannot be, on the nullable side of an outer join).
        of=("self",) if features.has_select_for_update_of else (),
    )
    locked = lock.order_by("pk").values("pk")
    written: int = _rows(rows.model, rows.db).filter(pk__in=locked).update(**values)
    return written


def _rows(model: type[models.Model], db: str) -> models.QuerySet[Any]:
    """Every row of ``model``, through Django's plain queryset (no manager filters it)."""
    return models.QuerySet(model=model, using=db)


def _is_marked() -> Q:
    return Q(deleted_at__lt=earliest(), deleted_at__gte=earliest() - MARK_SHIFT)


def _values(model: type[models.Model], deleted_at: Any, touched: datetime) -> dict[str, Any]:
    """The UPDATE's values: ``deleted_at``, plus ``updated_at`` when the model has one."""
    values: dict[str, Any] = {"deleted_at": deleted_at}
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        values["updated_at"] = touched
    return values


def _check_queryset(queryset: Any, operation: str) -> None:
    if not isinstance(queryset, models.QuerySet) or not is_soft_deletable(queryset.model):
        raise NotSoftDeletableError(operation, queryset)


def _check_moment(moment: Any) -> None:
    low, high = earliest(), latest()
    aware = timezone.is_aware(low)
    if (
        not isinstance(moment, datetime)
        or timezone.is_aware(moment) != aware
        or not low <= moment < high
    ):
        raise DeletionMomentError(moment, low, high, aware)


def _unique_fields_in(model: type[models.Model], error: IntegrityError) -> tuple[str, ...]:
    """The fields of the unique constraint ``error`` is about. PostgreSQL and MariaDB name the
    constraint in the message, SQLite lists the columns as ``table.column``."""
    message = str(error)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.name in message:
            return tuple(constraint.fields)
    table = model._meta.db_table
    named = tuple(
        field.name
        for field in model._meta.concrete_fields
        if f"{table}.{field.column}" in message or f"({field.column})=" in message
    )
    return named or ("a unique value",)
