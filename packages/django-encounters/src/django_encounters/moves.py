"""The two database steps of ``transition()``, in as few statements as each database allows.

1. ``lock_for_move``: the encounter row locked (``FOR UPDATE``) together with its definition.
   PostgreSQL: one statement, the definition under ``FOR KEY SHARE`` (a definition edit, which
   holds ``FOR UPDATE``, is waited for, and the row read is its latest version). SQLite has no
   row locks: one plain join. MariaDB has no per-table lock strength (``FOR UPDATE`` over a join
   would lock the definition exclusively and serialize every move of that definition): two
   statements, the encounter locked, then the definition share-locked (``LOCK IN SHARE MODE``).
2. ``write_move``: the encounter's new state, then the transition row that it names.
   PostgreSQL: one statement (``WITH moved AS (UPDATE ...) INSERT ...``); the trigger that checks
   the row against its encounter runs after the statement, so it sees the update (migration
   0005). Elsewhere: the UPDATE, then the INSERT.

The transition row is inserted as ``bulk_create`` inserts rows: Django's ``pre_save`` and
``post_save`` are not sent for it; ``encounter_transitioned`` is the signal of a move.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model, Q
from django.db.models.sql import InsertQuery, UpdateQuery

from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition
from django_encounters.models.transition import refuse_hand_made

_M = TypeVar("_M", bound=Model)


def lock_for_move(pk: Any, using: str) -> Encounter | None:
    """The live encounter ``pk``, locked, with its definition as stored now (or None)."""
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return _locked_with_definition(pk, using)
    live = Encounter.objects.using(using).select_for_update().filter(pk=pk)
    if vendor == "sqlite":
        return live.select_related("definition").first()
    locked = live.first()
    if locked is not None:
        definition = EncounterDefinition.locked_for_read(locked.definition_id, using)
        if definition is None:  # only raw SQL can remove a definition an encounter uses
            return None
        locked.definition = definition
    return locked


def write_move(pk: Any, changes: dict[str, Any], record: EncounterTransition, using: str) -> None:
    """Write the encounter's ``changes`` and insert ``record`` (which they name as latest)."""
    refuse_hand_made([record])
    update = UpdateQuery(Encounter)
    update.add_update_values(changes)
    update.add_q(Q(pk=pk))
    insert = InsertQuery(EncounterTransition)
    insert.insert_values(EncounterTransition._meta.concrete_fields, [record])
    update_sql, update_params = update.get_compiler(using).as_sql()
    [(insert_sql, insert_params)] = insert.get_compiler(using).as_sql()
    with connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS ({update_sql}) {insert_sql}", (*update_params, *insert_params)
            )
        else:
            cursor.execute(update_sql, update_params)
            cursor.execute(insert_sql, insert_params)
    record._state.adding = False
    record._state.db = using


def _locked_with_definition(pk: Any, using: str) -> Encounter | None:
    connection = connections[using]
    quote = connection.ops.quote_name
    encounter_fields = Encounter._meta.concrete_fields
    definition_fields = EncounterDefinition._meta.concrete_fields
    columns = [f"e.{quote(field.column)}" for field in encounter_fields]
    columns += [f"d.{quote(field.column)}" for field in definition_fields]
    sql = (
        f"SELECT {', '.join(columns)} "
        f"FROM {quote(Encounter._meta.db_table)} e "
        f"JOIN {quote(EncounterDefinition._meta.db_table)} d ON d.id = e.definition_id "
        "WHERE e.id = %s AND e.deleted_at IS NULL "
        "FOR UPDATE OF e FOR KEY SHARE OF d"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(encounter_fields)
    encounter = _from_row(Encounter, using, encounter_fields, row[:split])
    encounter.definition = _from_row(EncounterDefinition, using, definition_fields, row[split:])
    return encounter


def _from_row(model: type[_M], using: str, fields: Any, values: Any) -> _M:
    """An instance from raw column values, converted as a queryset converts them (JSON)."""
    connection = connections[using]
    converted = []
    for field, value in zip(fields, values, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db(using, [field.attname for field in fields], converted)
