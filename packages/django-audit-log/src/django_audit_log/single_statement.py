"""PostgreSQL: a tracked save writes its row and its audit entry in ONE statement.

A separate INSERT for the entry, inside a transaction opened for it, costs four round trips where
a plain save in autocommit costs one (BEGIN, the row, the entry, COMMIT). Instead, while
``save()`` runs, an ``execute_wrapper`` (Django's documented hook) turns the row's own INSERT or
UPDATE into a data-modifying CTE::

    WITH "audit_row" AS (<the row's INSERT/UPDATE> RETURNING ...)
    SELECT [*] FROM "audit_row" WHERE django_audit_log_write_entry(<the entry as jsonb>)

``django_audit_log_write_entry`` (installed by migration 0004) inserts the entry with a plan
prepared once per connection; it runs once per row the statement wrote, so the entry exists
exactly when the row was written (an UPDATE that matched nothing writes none). One statement is
atomic on its own, so no transaction is needed. The statement returns what the original returned
(its RETURNING rows; else as many rows, without columns, as it wrote), so Django sees no
difference; the query log shows the statement as executed.

Used when the target's primary key is known before the write (UUID keys, or any update) and the
model has no multi-table parents; otherwise the entry is a second INSERT in the same transaction.
"""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from typing import Any

from django.db import connections, models

from django_audit_log import services
from django_audit_log.diffing import changes_on_save, is_expression

# Key types whose value in the statement's parameters is recognised reliably (see _kind).
_KEY_TYPES = (models.UUIDField, models.IntegerField, models.CharField)


def applies(instance: Any, using: str) -> bool:
    meta = instance._meta
    return (
        connections[using].vendor == "postgresql"
        and not meta.parents
        and isinstance(meta.pk, _KEY_TYPES)
        and instance.pk is not None
        and not _database_fills_in(instance)
    )


def _database_fills_in(instance: Any) -> bool:
    """Whether the database decides a value of the write (a ``db_default``, a generated field,
    an expression assigned to a field): the entry is built before the statement runs, so it
    could not hold those values. Such saves write the entry after the row, in its transaction.
    """
    meta = instance._meta
    if any(not field.primary_key for field in meta.db_returning_fields):
        return True
    state = instance.__dict__
    return any(is_expression(state.get(field.attname)) for field in meta.concrete_fields)


def carrying_entry(instance: Any, using: str, update_fields: Any) -> AbstractContextManager[None]:
    """While ``instance`` is saved, rewrite its own INSERT/UPDATE to also insert the entry."""
    connection = connections[using]
    return connection.execute_wrapper(_Rewriter(instance, connection, update_fields))


class _Rewriter:
    def __init__(self, instance: Any, connection: Any, update_fields: Any) -> None:
        self.instance = instance
        self.connection = connection
        self.update_fields = update_fields
        self.table = connection.ops.quote_name(instance._meta.db_table)
        self.done = False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        kind = self._kind(sql, params, many)
        if kind is None:
            return execute(sql, params, many, context)
        action, changes, saved = changes_on_save(
            self.instance, kind == "insert", self.update_fields, self.connection.alias
        )
        if kind == "update" and not changes:
            return execute(sql, params, many, context)
        if " RETURNING " in sql:  # Django reads the rows: pass them on
            combined = f'WITH "audit_row" AS ({sql}) SELECT * FROM "audit_row" WHERE {_WRITE}'
        else:  # Django reads the row count only: rows without columns are cheapest
            combined = (
                f'WITH "audit_row" AS ({sql} RETURNING 1) SELECT FROM "audit_row" WHERE {_WRITE}'
            )
        document = _entry_document(self.instance, action, changes)
        result = execute(combined, (*params, document), many, context)
        if context["cursor"].rowcount:
            self.done = True
            self.instance.__dict__["_audit_written"] = saved  # remembered by post_save
        return result

    def _kind(self, sql: str, params: Any, many: bool) -> str | None:
        """ "update"/"insert" when ``sql`` writes this instance's own row, else ``None``
        (another save nested in a signal handler has its own rewriter)."""
        if self.done or many or not params or self.instance.pk is None:
            return None
        pk = self.instance._meta.pk.get_db_prep_value(self.instance.pk, self.connection)
        if sql.startswith(f"UPDATE {self.table} SET ") and params[-1] == pk:
            return "update"
        if sql.startswith(f"INSERT INTO {self.table} ") and pk in params:
            return "insert"
        return None


_WRITE = "django_audit_log_write_entry(%s)"


def _entry_document(instance: Any, action: str, changes: dict[str, Any]) -> str:
    """The entry of ``instance``'s write as the JSON document ``_WRITE`` takes: keyed by
    column.

    The values come straight from ``entry_row`` (validated, redacted, JSON-native) without an
    ``AuditLog`` instance or the INSERT compiler, which cost more than the write itself.
    """
    model = type(instance)
    row, _ = services.entry_row(action, changes=changes, sensitivity=model.audit_sensitivity)
    row.update(services.target_columns(model, instance.pk, instance))
    # As text PostgreSQL reads back exactly (microseconds and offset kept); str() here is
    # cheaper than the encoder calling back for them.
    row["id"], row["created_at"] = str(row["id"]), str(row["created_at"])
    # The keys are attnames, which are the columns' names too: the writer matches them by name.
    return _encode(row)


def _column_text(value: Any) -> str:
    """The text PostgreSQL reads into the column, for the other values JSON has no form of
    (a user model's UUID key)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"an audit entry column cannot hold {value!r} ({type(value).__name__})")


_encode = json.JSONEncoder(default=_column_text, separators=(",", ":")).encode
