"""PostgreSQL: a tracked ``QuerySet.update()`` diffs its rows and writes their entries in ONE
statement.

The Python path (``tracked_query``) reads every row, updates, and sends the entries back: three
statements in a transaction and a model instance per row. Here the database does it all::

    WITH "audit_old" AS (SELECT <key, tracked columns> FROM t WHERE <the queryset's filter>
                         FOR UPDATE),
         "audit_new" AS (UPDATE t SET ... WHERE t.key = ANY(ARRAY(SELECT key FROM "audit_old"))
                         RETURNING <key, tracked columns, the label>),
         "audit_entries" AS (INSERT INTO <the audit table> SELECT ... one row per changed row)
    SELECT count(*) FROM "audit_new"

What the entries share (action, actor, request context, metadata, sensitivity, time:
``services.entry_row``) is built once in Python and passed as parameters; the statement adds
each row's key, label, id and ``changes``. A plain INSERT ... SELECT of the columns, not the
jsonb document of ``single_statement``: reading a document per row cost the server more than
the rest of the entry together. The entries are the ones the Python path would log, with the
same values: a field is in ``changes`` when its stored value changed, old and new in the JSON
form ``values`` gives them (a value the update was given is that value, cleaned in Python, as
on the other path), fields whose name is secret masked.

With ``AUDIT_LOG_SEAL_KEY`` set, each entry's stamp is a keyed digest made in Python (the key
never goes to the database): the statement then returns the changed rows' keys, labels and
changes instead, and one INSERT writes their entries, in one transaction (``_sealed``).

Used only when every value can be put into JSON by the database exactly as Python does
(``columns``), the label is one the database can assemble (``labels``) and no batch of entries
is being collected; anything else takes the Python path.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, models, transaction
from django.db.models.fields import Field
from django.db.models.sql import UpdateQuery

from django_audit_log import conf, services
from django_audit_log.columns import old_json, supported
from django_audit_log.diffing import is_expression
from django_audit_log.labels import label_sql
from django_audit_log.models import AuditLog
from django_audit_log.stamps import stamp_of
from django_audit_log.tracking import write_transaction
from django_audit_log.values import clean_changes
from django_basemodels.ids import uuid7

VIA = "QuerySet.update"
_LOW_BITS = (1 << 64) - 1
_ROOM = (1 << 32) - 1  # low bits of the first id left clear: the row number is added there


def applies(
    queryset: models.QuerySet[Any], fields: tuple[Field[Any, Any], ...], kwargs: Any
) -> bool:
    model = queryset.model
    meta = model._meta
    query = queryset.query
    return (
        connections[queryset.db].vendor == "postgresql"
        and not services.batching()
        and not meta.parents
        and not query.is_sliced
        and not query.combinator
        and not query.distinct_fields
        and not query.select_for_update  # the Python path runs it in its transaction
        and meta.pk.name not in kwargs
        and meta.pk.attname not in kwargs
        and supported(meta.pk)
        and all(supported(field) for field in fields)
        and label_sql(model) is not None
    )


def update(queryset: models.QuerySet[Any], fields: tuple[Field[Any, Any], ...], kwargs: Any) -> int:
    """Run ``queryset.update(**kwargs)`` and log its changed rows; returns the rows updated."""
    # As Django's update() does: the router names the database to write to.
    queryset._for_write = True  # type: ignore[attr-defined]  # Django's own, not in the stubs
    using = queryset.db
    connection = connections[using]
    try:
        rows_sql, rows_params = _rows_filter(queryset, using)
    except EmptyResultSet:
        return 0
    model = queryset.model
    head, changed_rows, params = _diffing(model, fields, kwargs, connection, rows_sql, rows_params)
    head_params, changed_params = params
    shared, _ = services.entry_row(
        "update", metadata={"via": VIA}, sensitivity=getattr(model, "audit_sensitivity", "normal")
    )
    shared.update(services.target_columns(model, "", ""))
    table = connection.ops.quote_name(AuditLog._meta.db_table)
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        if conf.get("AUDIT_LOG_SEAL_KEY") is None:  # no stamps to make: all in one statement
            columns, values, entry_params = _entry_columns(shared, connection, _first_id_params())
            cursor.execute(
                f'{head}, "audit_entries" AS (INSERT INTO {table} ({columns}) '
                f'SELECT {values} FROM ({changed_rows}) "d") SELECT count(*) FROM "audit_new"',
                [*head_params, *entry_params, *changed_params],
            )
            (count,) = cursor.fetchone()
        else:
            count = _sealed(
                cursor,
                connection,
                head,
                changed_rows,
                [*head_params, *changed_params],
                shared,
                table,
            )
    queryset._result_cache = None
    return int(count)


def _sealed(
    cursor: Any,
    connection: Any,
    head: str,
    changed_rows: str,
    params: list[Any],
    shared: dict[str, Any],
    table: str,
) -> int:
    """With a seal key, each entry's stamp is a keyed digest made in Python (the key never goes
    to the database): the statement returns the changed rows' keys, labels and changes, and a
    second INSERT writes their entries, in one transaction."""
    with write_transaction(connection.alias):
        cursor.execute(
            f'{head} SELECT "c"."count", "d"."key"::text, "d"."audit_label", "d"."changes"::text '
            f'FROM (SELECT count(*) AS "count" FROM "audit_new") "c" '
            f'LEFT JOIN ({changed_rows}) "d" ON true',
            params,
        )
        rows = cursor.fetchall()
        changed = [row[1:] for row in rows if row[1] is not None]
        if changed:
            created_at = shared["created_at"]
            columns, values, entry_params = _entry_columns(shared, connection, None)
            entries = []
            for key, label, changes in changed:
                entry_id = uuid7()
                row = {"id": str(entry_id), "key": key, "audit_label": label, "changes": changes}
                entries.append({**row, "stamp": stamp_of(entry_id, created_at)})
            # One JSON document of the rows, not an array per column: quoting the changes'
            # JSON text as elements of an array literal cost more than the rest of the call.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM json_to_recordset(%s) "
                '"d"("id" uuid, "key" text, "audit_label" text, "changes" text, "stamp" text)',
                [*entry_params, json.dumps(entries)],
            )
    return int(rows[0][0])


def _diffing(
    model: type[models.Model],
    fields: tuple[Field[Any, Any], ...],
    kwargs: Any,
    connection: Any,
    rows_sql: str,
    rows_params: Any,
) -> tuple[str, str, tuple[list[Any], list[Any]]]:
    """The statement's ``WITH`` that locks, reads and updates the rows (``"audit_old"``,
    ``"audit_new"``; ``rows_sql``: the filter of the rows, from ``_rows_filter``), the query of
    the changed rows (key, label, changes, row number), and the parameters of each."""
    quote = connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [quote(field.column) for field in fields]
    old_list = ", ".join(f"{table}.{column}" for column in columns)
    label, label_params = label_sql(model)(table, connection)  # type: ignore[misc]  # checked

    update = UpdateQuery(model)
    update.add_update_values(kwargs)
    set_sql, set_params = update.get_compiler(connection=connection).as_sql()

    changed = " OR ".join(f'"o".{c} IS DISTINCT FROM "n".{c}' for c in columns)
    changes, changes_params = _changes(fields, kwargs, columns)
    # The UPDATE finds the locked rows by their keys, as an array: an index lookup per row,
    # whatever the planner guesses of the table (a join with "audit_old" read the whole table
    # when its statistics were stale, so the cost followed the table's size, not the update's).
    head = (
        f'WITH "audit_old" AS (SELECT {table}.{key}, {old_list} FROM {table}{rows_sql} '
        f'FOR UPDATE), "audit_new" AS ({set_sql} WHERE {table}.{key} = ANY(ARRAY('
        f'SELECT {key} FROM "audit_old")) RETURNING {table}.{key}, {old_list}, {label} AS '
        '"audit_label")'
    )
    changed_rows = (
        f'SELECT "n".{key} AS "key", "n"."audit_label", {changes} AS "changes", '
        f'row_number() OVER () AS "number" FROM "audit_new" "n" '
        f'JOIN "audit_old" "o" ON "o".{key} = "n".{key} WHERE {changed}'
    )
    # The order of the placeholders: the rows' query, SET, the label (in RETURNING).
    return head, changed_rows, ([*rows_params, *set_params, *label_params], changes_params)


def _rows_filter(queryset: models.QuerySet[Any], using: str) -> tuple[str, list[Any]]:
    """The ``WHERE`` that picks the queryset's rows from its table (``""``: every row), as
    Django's own UPDATE has it: the queryset's conditions as they are when they read no other
    table, else its keys as a subquery (a join may repeat a row). Raises ``EmptyResultSet``
    when no row can match."""
    query = queryset.order_by().query
    compiler = query.get_compiler(using)
    query.get_initial_alias()
    if query.count_active_tables() == 1 and not query.extra_tables:
        try:
            where_sql, where_params = compiler.compile(query.where)
        except FullResultSet:
            return "", []
        return f" WHERE {where_sql}", list(where_params)
    keys = queryset.order_by().values_list("pk", flat=True).query.get_compiler(using)
    keys_sql, keys_params = keys.as_sql()
    table = compiler.quote_name_unless_alias(query.get_meta().db_table)
    key = compiler.quote_name_unless_alias(query.get_meta().pk.column)
    return f" WHERE {table}.{key} IN ({keys_sql})", list(keys_params)


def _changes(
    fields: tuple[Field[Any, Any], ...], kwargs: Any, columns: list[str]
) -> tuple[str, list[Any]]:
    """The ``changes`` document of a row: one object per field whose stored value changed."""
    parts, params = [], []
    for field, column in zip(fields, columns, strict=True):
        old_sql, old_params = old_json(field, f'"o".{column}')
        value = kwargs[field.name] if field.name in kwargs else kwargs[field.attname]
        if is_expression(value):  # computed by the database: its stored value, like the old
            new_sql, new_params = old_json(field, f'"n".{column}')
        else:  # the value given, cleaned as the Python path cleans it
            if isinstance(value, models.Model):
                value = value.pk
            cleaned = clean_changes({field.name: {"new": value}})[field.name]["new"]
            new_sql, new_params = "%s::jsonb", [json.dumps(cleaned)]
        parts.append(
            f'CASE WHEN "o".{column} IS DISTINCT FROM "n".{column} THEN jsonb_build_object('
            f"%s, jsonb_build_object('old', {old_sql}, 'new', {new_sql})) ELSE '{{}}' END"
        )
        params += [field.name, *old_params, *new_params]
    if not parts:
        return "'{}'::jsonb", []
    return "(" + " || ".join(parts) + ")", params


# The columns of an entry that differ from row to row, as the statement computes them from
# the changed rows ("d"); with a seal key the rows come from a JSON document that also holds ids
# and stamps (the changes as JSON text).
_PER_ROW = {
    "id": '(%s || lpad(to_hex(%s::bigint + "d"."number"), 16, \'0\'))::uuid',
    "target_id": '"d"."key"::text',
    "target_repr": '"d"."audit_label"',
    "changes": '"d"."changes"',
}
_PER_ROW_SEALED = {
    **_PER_ROW,
    "id": '"d"."id"',
    "changes": '"d"."changes"::jsonb',
    "stamp": '"d"."stamp"',
}


def _first_id_params() -> list[Any]:
    """The first entry's id as its high half in hex and its low half as a signed 64-bit number:
    the row number is added to the low half, so the ids of the statement increase like
    uuid7's."""
    first = uuid7().int & ~_ROOM
    low = first & _LOW_BITS
    if low >= 1 << 63:
        low -= 1 << 64
    return [f"{first >> 64:016x}", low]


def _entry_columns(
    shared: dict[str, Any], connection: Any, id_params: list[Any] | None
) -> tuple[str, str, list[Any]]:
    """The INSERT's column list and, in the same order, the SELECT's values with their
    parameters: what every entry shares (action, actor, request context, metadata,
    sensitivity, time: ``services.entry_row``, built once) as typed parameters, the per-row
    columns from "d" (``id_params``: the ids are numbered in the statement; ``None``: "d" holds
    ids and stamps made in Python)."""
    per_row = _PER_ROW if id_params is not None else _PER_ROW_SEALED
    names, values, params = [], [], []
    for field in AuditLog._meta.concrete_fields:
        names.append(connection.ops.quote_name(field.column))
        if field.attname in per_row:
            values.append(per_row[field.attname])
            if field.attname == "id" and id_params is not None:
                params += id_params
        else:
            value = shared[field.attname]
            values.append(f"%s::{field.db_type(connection)}")
            params.append(json.dumps(value) if isinstance(value, dict) else value)
    return ", ".join(names), ", ".join(values), params
