"""The first two statements of ``start_session()``: read the user's running session with the
clock, and stop that session for the switch.

Both are SQL written once per database and user model and sent as they are: the values go
through the fields' own adaptation, and what is read through the converters, as in the ORM.
Built through the ORM on every call instead (a ``RawQuerySet`` for the read, a filtered queryset
for the stop), they took about a third of the switch's Python time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from django_worklog.clock import CLOCK_FUNCTION, database_keeps_time, stop_values
from django_worklog.exceptions import InvalidArgumentError
from django_worklog.models import StopReason, WorkSession


@dataclass(frozen=True)
class _Statements:
    running: str  # the user's running session (NULLs when none), the clock, the user's key
    stop: str  # stop one session, if it still runs and is not deleted


# What the stop writes, in the order of the UPDATE's placeholders.
STOP_COLUMNS = ("stopped_at", "duration_seconds", "stop_reason", "updated_at")
# Per (database alias, vendor, user model): the SQL depends on nothing else.
_STATEMENTS: dict[tuple[str, str, str], _Statements] = {}


def _statements(using: str) -> _Statements:
    connection = connections[using]
    users, sessions = get_user_model()._meta, WorkSession._meta
    cache_key = (using, connection.vendor, users.label)
    if cache_key not in _STATEMENTS:
        name = connection.ops.quote_name
        user_pk = f"u.{name(users.pk.column)}"
        clock = f"{CLOCK_FUNCTION}()" if database_keeps_time(using) else "NULL"
        column = {field.name: name(field.column) for field in sessions.concrete_fields}
        selected = ", ".join(f"s.{column[field.name]}" for field in sessions.concrete_fields)
        _STATEMENTS[cache_key] = _Statements(
            running=(
                f"SELECT {selected}, {clock}, {user_pk} "
                f"FROM {name(users.db_table)} u LEFT OUTER JOIN {name(sessions.db_table)} s "
                f"ON s.{column['user']} = {user_pk} AND s.{column['stopped_at']} IS NULL "
                f"AND s.{column['deleted_at']} IS NULL WHERE {user_pk} = %s"
            ),
            stop=(
                f"UPDATE {name(sessions.db_table)} "
                f"SET {', '.join(f'{column[field]} = %s' for field in STOP_COLUMNS)} "
                f"WHERE {column[sessions.pk.name]} = %s AND {column['stopped_at']} IS NULL "
                f"AND {column['deleted_at']} IS NULL"
            ),
        )
    return _STATEMENTS[cache_key]


def running_and_clock(user: Any, using: str) -> tuple[WorkSession | None, datetime | None]:
    """The user's running session (None if none) and the database's clock (None where it keeps
    none: the caller reads the application server's once the query has returned, as MariaDB
    would hand a selected parameter back as text). One query from the user's row (an outer
    join), which also proves the user exists. Nothing is locked: the stop is conditional on the
    session still running, and the INSERT meets the unique index."""
    connection = connections[using]
    key = get_user_model()._meta.pk.get_db_prep_value(user.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_statements(using).running, [key])
        row = cursor.fetchone()
    if row is None:
        raise InvalidArgumentError("user", user, "a user that exists in the database")
    fields = WorkSession._meta.concrete_fields
    values, clock = list(row[: len(fields)]), row[len(fields)]
    if values[fields.index(WorkSession._meta.pk)] is None:  # no session matched the join
        return None, clock
    for position, field in enumerate(fields):
        # What the ORM applies to what it reads: the backend's converters (SQLite's text
        # datetimes and UUIDs, for one), then the field's own (JSON).
        column = field.get_col(WorkSession._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for convert in converters:
            values[position] = convert(values[position], column, connection)
    session = WorkSession.from_db(using, [field.attname for field in fields], values)
    return session, clock


def stop_switched(session: WorkSession, now: datetime, using: str) -> bool:
    """Stop ``session`` at ``now`` for a switch unless it was stopped (or soft-deleted) since it
    was read: one UPDATE, conditional on the session still running. Whether it stopped it.

    With ``services._stop_running()``, the one place that writes the times past the queryset's
    guard (the database trigger checks them on PostgreSQL)."""
    connection = connections[using]
    stopped_at, duration = stop_values(session.started_at, now)
    reason, updated_at = str(StopReason.SWITCHED), timezone.now()
    values = (stopped_at, duration, reason, updated_at)  # in the order of STOP_COLUMNS
    field = {field.name: field for field in WorkSession._meta.concrete_fields}
    params = [
        field[name].get_db_prep_save(value, connection)
        for name, value in zip(STOP_COLUMNS, values, strict=True)
    ]
    params.append(WorkSession._meta.pk.get_db_prep_value(session.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(_statements(using).stop, params)
        updated = cast(int, cursor.rowcount)
    if not updated:
        return False
    session.stopped_at, session.duration_seconds = stopped_at, duration
    session.stop_reason, session.updated_at = reason, updated_at
    session._remember_times()
    return True
