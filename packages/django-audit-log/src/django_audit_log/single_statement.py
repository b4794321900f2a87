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

What does not change from one save of a model to the next is worked out once per model
(``_Plan``): whether its saves can carry the entry at all, the statement prefixes to recognise,
the SQL around the returned key, and whether the label can show the key. A plan is remade when
the model's fields or its ``__str__`` are replaced (a test's monkeypatch).
"""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

from django.db import connections, models

from django_audit_log import labels, services
from django_audit_log.diffing import changes_on_save, is_expression
from django_audit_log.exceptions import TrackingError
from django_audit_log.prepared import prepare_next_statement

# Key types whose value in the statement's parameters is recognised reliably (see _kind).
_KEY_TYPES = (models.UUIDField, models.IntegerField, models.CharField)

# How the label of a row whose key the database assigns is found (_Plan.label).
_DJANGO_LABEL = "Django's own"  # "<Model> object (<pk>)": its parts are known beforehand
_LABEL_WITHOUT_KEY = "without the key"  # the source shows str() never shows it: one str()
_LABEL_TRIED = "tried"  # anything else: key_label() tries keys on every save


class _Plan(NamedTuple):
    """What every tracked save of one model needs that does not change between saves."""

    fields: Any  # the model's concrete fields when made: another tuple means they changed
    label_method: Any  # the model's __str__ when made
    carries: bool  # no parents, a recognisable key, no value the database decides
    returns_key: bool  # the database assigns the key and the INSERT returns it
    attnames: tuple[str, ...]  # checked for expressions on every save
    insert: str  # how this model's INSERT starts
    update: str  # and its UPDATE
    key: str  # the returned key as text, in SQL
    label: str
    keyed_writes: dict[int, str]  # the entry writer's call, by the label's number of parts


_plans: dict[type, _Plan] = {}


def plan_of(model: type[models.Model], connection: Any) -> _Plan:
    """``model``'s plan (a PostgreSQL ``connection`` quotes its names), made on first use."""
    plan = _plans.get(model)
    if (
        plan is None
        or plan.fields is not model._meta.concrete_fields
        or plan.label_method is not model.__str__
    ):
        plan = _plans[model] = _make_plan(model, connection.ops.quote_name)
    return plan


def _make_plan(model: type[models.Model], quote: Any) -> _Plan:
    meta = model._meta
    table = quote(meta.db_table)
    if model.__str__ is models.Model.__str__:
        label = _DJANGO_LABEL
    else:
        shown = labels.shown_fields(model)
        key_shown = shown is None or any(field.primary_key for field in shown)
        label = _LABEL_TRIED if key_shown else _LABEL_WITHOUT_KEY
    return _Plan(
        fields=meta.concrete_fields,
        label_method=model.__str__,
        carries=not meta.parents
        and isinstance(meta.pk, _KEY_TYPES)
        # A value the database decides (a db_default, a generated field) that the entry,
        # built before the statement runs, could not hold.
        and not any(not field.primary_key for field in meta.db_returning_fields),
        returns_key=bool(getattr(meta.pk, "db_returning", False)),
        attnames=tuple(field.attname for field in meta.concrete_fields),
        insert=f"INSERT INTO {table} ",
        update=f"UPDATE {table} SET ",
        key=f'"audit_row".{quote(meta.pk.column)}::text',
        label=label,
        keyed_writes={},
    )


def carrier(instance: Any, using: str, update_fields: Any) -> AbstractContextManager[None] | None:
    """When saving ``instance`` can carry its entry: the context in which its own INSERT/UPDATE
    is rewritten to also insert the entry. Else ``None`` (the entry is then written after the
    row, in its transaction)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    plan = plan_of(type(instance), connection)
    if not _applies(instance, plan):
        return None
    return connection.execute_wrapper(_Rewriter(instance, connection, update_fields, plan))


def _applies(instance: Any, plan: _Plan) -> bool:
    if not plan.carries:
        return False
    # An expression assigned to a field: the database decides the value (see _Plan.carries);
    # such saves write the entry after the row, in its transaction.
    state = instance.__dict__
    if any(is_expression(state.get(attname)) for attname in plan.attnames):
        return False
    if instance.pk is not None:
        return True
    # The database assigns the key: the label must be known but for the key.
    return plan.returns_key and (plan.label != _LABEL_TRIED or key_label(instance) is not None)


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


def _label_parts(instance: Any, plan: _Plan) -> list[str] | None:
    """``key_label(instance)``, without trying keys where the plan knows the answer."""
    if plan.label == _DJANGO_LABEL:
        return [f"{type(instance).__name__} object (", ")"]
    if plan.label == _LABEL_WITHOUT_KEY:
        return [str(instance)]
    return key_label(instance)


def _keyed_write(plan: _Plan, pieces: int) -> str:
    """The entry writer's call with ``target_id`` and ``target_repr`` taken from the key the
    INSERT returned (its ``RETURNING`` names the key column): the label's ``pieces`` parts,
    each a text parameter, joined by the key. A label of one part holds no key: the document
    carries it."""
    write = plan.keyed_writes.get(pieces)
    if write is None:
        target = f"'target_id', {plan.key}"
        if pieces > 1:
            label = f", {plan.key}, ".join(["%s::text"] * pieces)
            target += f", 'target_repr', left(concat({label}), 255)"
        write = plan.keyed_writes[pieces] = (
            f"django_audit_log_write_entry(%s::jsonb || jsonb_build_object({target}))"
        )
    return write


class _Rewriter:
    def __init__(self, instance: Any, connection: Any, update_fields: Any, plan: _Plan) -> None:
        self.instance = instance
        self.connection = connection
        self.update_fields = update_fields
        self.plan = plan
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
        write = _WRITE
        label: str | None = None  # a label without the key, known before the statement runs
        extra: tuple[str, ...] = ()  # else the parts of the label, joined by the returned key
        if kind == "keyed insert":  # the key is the one the INSERT returns
            parts = _label_parts(self.instance, self.plan)
            if parts is None:  # it was checked by carrier(): a pre_save handler changed it
                raise TrackingError(
                    type(self.instance),
                    "save()",
                    "str() of the object stopped showing its key as str(pk) while it was saved; "
                    "expected a label that does not change with the object's other values",
                )
            write = _keyed_write(self.plan, len(parts))
            if len(parts) == 1:
                label = parts[0]
            else:
                extra = tuple(parts)
        if " RETURNING " in sql:  # Django reads the rows: pass them on
            combined = f'WITH "audit_row" AS ({sql}) SELECT * FROM "audit_row" WHERE {write}'
        else:  # Django reads the row count only: rows without columns are cheapest
            combined = (
                f'WITH "audit_row" AS ({sql} RETURNING 1) SELECT FROM "audit_row" WHERE {write}'
            )
        document = _entry_document(self.instance, action, changes, label)
        prepare_next_statement(context["cursor"])
        result = execute(combined, (*params, document, *extra), many, context)
        if context["cursor"].rowcount:
            self.done = True
            self.instance.__dict__["_audit_written"] = saved  # remembered by post_save
        return result

    def _kind(self, sql: str, params: Any, many: bool) -> str | None:
        """ "update"/"insert"/"keyed insert" (the database assigns the key) when ``sql`` writes
        this instance's own row, else ``None`` (another save nested in a signal handler has its
        own rewriter)."""
        if self.done or many:
            return None
        if self.instance.pk is None:
            # Only the INSERT run by this instance's own _do_insert (AuditTrackedModel marks it).
            if self.instance.__dict__.get("_audit_inserting") and sql.startswith(self.plan.insert):
                return "keyed insert"
            return None
        if not params:
            return None
        pk = self.instance._meta.pk.get_db_prep_value(self.instance.pk, self.connection)
        if sql.startswith(self.plan.update) and params[-1] == pk:
            return "update"
        if sql.startswith(self.plan.insert) and pk in params:
            return "insert"
        return None


_WRITE = "django_audit_log_write_entry(%s)"


def _entry_document(
    instance: Any, action: str, changes: dict[str, Any], label: str | None = None
) -> str:
    """The entry of ``instance``'s write as the JSON document ``_WRITE`` takes: keyed by
    column. Without a key yet, ``label`` is the label when it shows no key (else the statement
    assembles it around the returned key).

    The values come straight from ``entry_row`` (validated, redacted, JSON-native) without an
    ``AuditLog`` instance or the INSERT compiler, which cost more than the write itself.
    """
    model = type(instance)
    row, _ = services.entry_row(action, changes=changes, sensitivity=model.audit_sensitivity)
    if instance.pk is not None:  # else the statement fills them in from the returned key
        row.update(services.target_columns(model, instance.pk, instance))
    else:
        row.update(services.target_columns(model, "", label or ""))
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
