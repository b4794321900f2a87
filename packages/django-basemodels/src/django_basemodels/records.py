"""The operation records behind ``restore()``: which soft delete took which row, the table
(``DeletionRecord``) and the statements that write and read it.

Every soft delete gets an operation id (a UUIDv7). After its UPDATEs it writes one
``DeletionRecord`` per row it stamped, with ONE ``INSERT ... SELECT`` for all the models it
wrote. ``restore()`` follows a parent to a child only when both were taken by the same operation,
so two deletes stamped with the same moment are restored separately; it then removes the records
of the rows it brought back. Rows deleted before records existed have none: between two such
rows the old rule applies (same ``deleted_at``, same batch).

Keys are compared as text (``CAST(pk AS varchar)``), written and read with the same expression,
so one table serves UUID, integer and text primary keys on every database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast

from django_basemodels.cascade import is_soft_deletable


class DeletionRecord(models.Model):
    """One row taken by one soft delete operation: which operation, which model, which key.

    ``soft_delete()`` writes these (one INSERT per operation) and ``restore()`` follows and then
    removes them, so that two deletes stamped with the same moment are still told apart. A row
    has a record only while it is deleted. Keys are stored as text so that one table serves
    every model, whatever its primary key type. (Importable from ``django_basemodels.models``.)
    """

    id = models.BigAutoField(primary_key=True)
    operation = models.UUIDField(db_index=True, editable=False)
    model = models.CharField(max_length=255, editable=False)
    object_id = models.CharField(max_length=255, editable=False)

    class Meta:
        app_label = "django_basemodels"
        indexes = [models.Index(fields=["model", "object_id"], name="basemodels_record_row")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} deleted by {self.operation}"


def key_text(reference: Any = "pk") -> Cast:
    """A row's primary key as text, the form ``DeletionRecord.object_id`` stores."""
    return Cast(reference, output_field=CharField(max_length=255))


def _records(db: str) -> models.QuerySet[DeletionRecord]:
    records: models.QuerySet[DeletionRecord] = models.QuerySet(model=DeletionRecord, using=db)
    return records


def _of_row(model: type[models.Model], db: str) -> models.QuerySet[DeletionRecord]:
    """The records of the outer query's row (``OuterRef("pk")``) of ``model``."""
    of_row: models.QuerySet[DeletionRecord] = _records(db).filter(
        model=model._meta.label, object_id=key_text(OuterRef("pk"))
    )
    return of_row


def is_recorded(model: type[models.Model], db: str) -> Exists:
    """True for rows of ``model`` that some operation has recorded as taken."""
    return Exists(_of_row(model, db))


def operation_of(model: type[models.Model], db: str) -> Subquery:
    """The operation that took the outer query's row of ``model``; NULL when unrecorded."""
    return Subquery(_of_row(model, db).values("operation")[:1], output_field=models.UUIDField())


def record(
    operation: uuid.UUID,
    written: Iterable[type[models.Model]],
    moment: datetime,
    db: str,
) -> None:
    """Record the rows that ``operation`` just stamped with ``moment``, in one INSERT.

    Inside the operation's transaction these are the rows holding ``moment`` that no record
    claims yet: another operation with the same moment has either committed its records (its
    rows are claimed) or not committed at all (its rows are not visible here).
    """
    selects = [
        models.QuerySet(model=model, using=db)
        .filter(deleted_at=moment)
        .exclude(is_recorded(model, db))
        .order_by()
        .annotate(
            record_operation=Value(operation, output_field=models.UUIDField()),
            record_model=Value(model._meta.label, output_field=CharField()),
            record_key=key_text(),
        )
        .values_list("record_operation", "record_model", "record_key")
        for model in written
    ]
    rows = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    select_sql, params = rows.query.get_compiler(using=db).as_sql()
    connection = connections[db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in ("operation", "model", "object_id"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(DeletionRecord._meta.db_table)} ({columns}) {select_sql}",
            params,
        )


def same_operation(parents: models.QuerySet[Any], db: str) -> Q:
    """A filter on child rows annotated ``deleted_by``: some row of ``parents`` was taken by the
    same operation, or neither the child nor that parent has a record."""
    parents = parents.annotate(deleted_by=operation_of(parents.model, db))
    recorded = parents.filter(deleted_by=OuterRef("deleted_by"))
    unrecorded = parents.filter(deleted_by__isnull=True)
    return Q(Exists(recorded), deleted_by__isnull=False) | Q(
        Exists(unrecorded), deleted_by__isnull=True
    )


def take(
    marked: dict[type[models.Model], models.QuerySet[Any]], db: str
) -> tuple[dict[str, list[Any]], frozenset[uuid.UUID]]:
    """Read the keys and operations of the rows a restore is bringing back (one SELECT), then
    remove their records (one DELETE). ``marked`` maps each written model to those rows."""
    selects = [
        rows.order_by()
        .annotate(
            restored_model=Value(model._meta.label, output_field=CharField()),
            restored_key=key_text(),
            restored_from=operation_of(model, db),
        )
        .values_list("restored_model", "restored_key", "restored_from")
        for model, rows in marked.items()
    ]
    rows = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    by_label = {model._meta.label: model for model in marked}
    keys: dict[str, list[Any]] = {}
    texts: dict[str, list[str]] = {}
    operations: set[uuid.UUID] = set()
    for label, key, operation in rows:
        keys.setdefault(label, []).append(by_label[label]._meta.pk.to_python(key))
        texts.setdefault(label, []).append(key)
        if operation is not None:
            operations.add(operation)
    claimed = Q(pk__in=[])
    for model, marked_rows in marked.items():
        label = model._meta.label
        if connections[db].vendor == "mysql":
            # A DELETE's subqueries are locking reads on MariaDB (InnoDB reads them unlocked
            # only for UPDATE and INSERT ... SELECT): they would wait on rows that concurrent
            # restores marked, and deadlock with them. The keys were just read: delete by them.
            claimed |= Q(model=label, object_id__in=texts.get(label, []))
        else:
            marked_texts = marked_rows.order_by().annotate(text=key_text()).values("text")
            claimed |= Q(model=label, object_id__in=marked_texts)
    _records(db).filter(claimed)._raw_delete(db)
    return keys, frozenset(operations)


def forget_missing(counts: dict[str, int], db: str) -> None:
    """After a hard delete (``counts`` as Django's delete returns them): remove the records of
    rows that no longer exist, one DELETE per soft-deletable model that lost rows."""
    for label, count in counts.items():
        model = apps.get_model(label)
        if not count or not is_soft_deletable(model):
            continue
        key = Cast(OuterRef("object_id"), output_field=model._meta.pk)
        still_there: models.QuerySet[models.Model] = models.QuerySet(model=model, using=db).filter(
            pk=key
        )
        _records(db).filter(model=label).exclude(Exists(still_there))._raw_delete(db)
