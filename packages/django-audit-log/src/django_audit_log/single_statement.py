"""PostgreSQL: a tracked save writes its row and its audit entry in ONE statement.

A separate INSERT for the entry, inside a transaction opened for it, costs four round trips where
a plain save in autocommit costs one (BEGIN, the row, the entry, COMMIT). Instead, while
``save()`` runs, an ``execute_wrapper`` (Django's documented hook) turns the row's own INSERT or
UPDATE into a data-modifying CTE::

    WITH "audit_row" AS (<the row's INSERT/UPDATE> RETURNING ...),
         "audit_entry" AS (INSERT INTO <audit table> (...)
                           SELECT ... WHERE EXISTS (SELECT 1 FROM "audit_row"))
    SELECT * FROM "audit_row"

One statement is atomic on its own, so no transaction is needed, and the entry exists exactly
when the row was written (an UPDATE that matched nothing writes no entry). The statement returns
what the original returned (its RETURNING rows, or its row count), so Django sees no difference;
the query log shows the statement as executed.

Used when the target's primary key is known before the write (UUID keys, or any update) and the
model has no multi-table parents; otherwise the entry is a second INSERT in the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models

_AS_IS = (models.CharField, models.BooleanField)


# Key types whose value in the statement's parameters is recognised reliably (see _kind).
_KEY_TYPES = (models.UUIDField, models.IntegerField, models.CharField)


def applies(instance: Any, using: str) -> bool:
    meta = instance._meta
    return (
        connections[using].vendor == "postgresql"
        and not meta.parents
        and isinstance(meta.pk, _KEY_TYPES)
        and instance.pk is not None
    )


@contextmanager
def carrying_entry(instance: Any, using: str, update_fields: Any) -> Iterator[None]:
    """While ``instance`` is saved, rewrite its own INSERT/UPDATE to also insert the entry."""
    connection = connections[using]
    with connection.execute_wrapper(_Rewriter(instance, connection, update_fields)):
        yield


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
        from django_audit_log.tracking import changes_on_save, entry_for

        action, changes, _ = changes_on_save(self.instance, kind == "insert", self.update_fields)
        if kind == "update" and not changes:
            return execute(sql, params, many, context)
        entry = entry_for(action, type(self.instance), changes, obj=self.instance)
        columns, placeholders, values = _insert_parts(entry, self.connection)
        returning = "" if " RETURNING " in sql else " RETURNING 1"
        quote = self.connection.ops.quote_name
        combined = (
            f'WITH "audit_row" AS ({sql}{returning}), '
            f'"audit_entry" AS (INSERT INTO {quote(entry._meta.db_table)} ({columns}) '
            f'SELECT {placeholders} WHERE EXISTS (SELECT 1 FROM "audit_row")) '
            f'SELECT * FROM "audit_row"'
        )
        result = execute(combined, (*params, *values), many, context)
        if context["cursor"].rowcount:
            self.done = True
            self.instance.__dict__["_audit_written"] = True
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


@functools.lru_cache(maxsize=8)
def _columns(model: Any, alias: str) -> tuple[tuple[Any, ...], str, str]:
    fields = tuple(model._meta.concrete_fields)
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return fields, columns, ", ".join(["%s"] * len(fields))


def _insert_parts(entry: Any, connection: Any) -> tuple[str, str, list[Any]]:
    """Column list, placeholders and database values of an unsaved entry, prepared by each
    field as Django's INSERT compiler would."""
    fields, columns, placeholders = _columns(type(entry), connection.alias)
    state = entry.__dict__
    values = [
        # Plain strings and booleans go as they are; every other field prepares its value.
        value
        if type(field) in _AS_IS and (value := state[field.attname]) is not None
        else field.get_db_prep_save(field.pre_save(entry, True), connection)
        for field in fields
    ]
    return columns, placeholders, values
