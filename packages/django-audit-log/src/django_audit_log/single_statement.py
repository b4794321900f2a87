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

When the database assigns the key (an integer ``AutoField``), the INSERT's own ``RETURNING`` gives
it to the entry inside the statement: ``target_id`` is the returned key as text, and the label
(``str(obj)``, which may show the key) is assembled around it from the parts ``key_label`` found.
Models with multi-table parents, and saves whose values the database decides, write the entry
as a second INSERT in the same transaction instead.
"""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from typing import Any

from django.db import connections, models

from django_audit_log import services
from django_audit_log.diffing import changes_on_save, is_expression
from django_audit_log.exceptions import TrackingError

# Key types whose value in the statement's parameters is recognised reliably (see _kind).
_KEY_TYPES = (models.UUIDField, models.IntegerField, models.CharField)


def applies(instance: Any, using: str) -> bool:
    meta = instance._meta
    if (
        connections[using].vendor != "postgresql"
        or meta.parents
        or not isinstance(meta.pk, _KEY_TYPES)
        or _database_fills_in(instance)
    ):
        return False
    if instance.pk is not None:
        return True
    # The database assigns the key: the label must be known but for the key.
    return bool(getattr(meta.pk, "db_returning", False)) and key_label(instance) is not None


# Keys tried in place of the one the database will assign: two long ones of different lengths
# (no label holds them by chance) and a one-digit one (a key formatted other than as str(pk),
# such as zero-padded, comes out differently and is caught).
_TRIAL_KEYS = (918273645, 5647382910, 7)


def key_label(instance: Any) -> list[str] | None:
    """``str(instance)`` split where it shows the (not yet assigned) key: ``str(pk).join(parts)``
    is its label once the key is ``pk``. ``None`` when the label is not made that way (it
    depends on the key otherwise, or fails without one): such creates take two statements."""
    meta = instance._meta
    state = instance.__dict__
    attname = meta.pk.attname
    unset = state.get(attname)
    labels = []
    try:
        for key in _TRIAL_KEYS:
            state[attname] = key
            labels.append(str(instance))
    except Exception:  # a label that needs more than the key: the post_save path shows it
        return None
    finally:
        state[attname] = unset
    parts = labels[0].split(str(_TRIAL_KEYS[0]))
    if labels[1].split(str(_TRIAL_KEYS[1])) != parts:
        return None
    if str(_TRIAL_KEYS[2]).join(parts) != labels[2]:
        return None
    return parts


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
            self.instance, kind != "update", self.update_fields, self.connection.alias
        )
        if kind == "update" and not changes:
            return execute(sql, params, many, context)
        write, extra = _WRITE, ()
        if kind == "keyed insert":  # the key is the one the INSERT returns
            parts = key_label(self.instance)
            if parts is None:  # it was checked by applies(): a pre_save handler changed it
                raise TrackingError(
                    type(self.instance),
                    "save()",
                    "str() of the object stopped showing its key as str(pk) while it was saved; "
                    "expected a label that does not change with the object's other values",
                )
            write, extra = self._with_returned_key(), (parts,)  # type: ignore[assignment]
        if " RETURNING " in sql:  # Django reads the rows: pass them on
            combined = f'WITH "audit_row" AS ({sql}) SELECT * FROM "audit_row" WHERE {write}'
        else:  # Django reads the row count only: rows without columns are cheapest
            combined = (
                f'WITH "audit_row" AS ({sql} RETURNING 1) SELECT FROM "audit_row" WHERE {write}'
            )
        document = _entry_document(self.instance, action, changes)
        result = execute(combined, (*params, document, *extra), many, context)
        if context["cursor"].rowcount:
            self.done = True
            self.instance.__dict__["_audit_written"] = saved  # remembered by post_save
        return result

    def _with_returned_key(self) -> str:
        """The entry writer's call with ``target_id`` and ``target_repr`` taken from the key the
        INSERT returned (its ``RETURNING`` names the key column)."""
        key = f'"audit_row".{self.connection.ops.quote_name(self.instance._meta.pk.column)}::text'
        return (
            "django_audit_log_write_entry(%s::jsonb || jsonb_build_object("
            f"'target_id', {key}, 'target_repr', left(array_to_string(%s::text[], {key}), 255)))"
        )

    def _kind(self, sql: str, params: Any, many: bool) -> str | None:
        """ "update"/"insert"/"keyed insert" (the database assigns the key) when ``sql`` writes
        this instance's own row, else ``None`` (another save nested in a signal handler has its
        own rewriter)."""
        if self.done or many:
            return None
        if self.instance.pk is None:
            # Only the INSERT run by this instance's own _do_insert (AuditTrackedModel marks it).
            if self.instance.__dict__.get("_audit_inserting") and sql.startswith(
                f"INSERT INTO {self.table} "
            ):
                return "keyed insert"
            return None
        if not params:
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
    if instance.pk is not None:  # else the statement fills them in from the returned key
        row.update(services.target_columns(model, instance.pk, instance))
    else:
        row.update(services.target_columns(model, "", ""))
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
