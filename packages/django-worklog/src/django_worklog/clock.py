"""Where session times come from.

On PostgreSQL the database owns the clock: migration 0003 installs ``django_worklog_now()`` (the
transaction clock, ``now()``) and triggers that set ``started_at`` on insert and check
``stopped_at`` and ``duration_seconds`` on stop, so no client can write a time of its choosing.
The services read that same clock in the queries they already run, so what they compute is what
the triggers expect. Other databases have no such clock: the application server's
(``server_now()``) is used, and the model's guards are the only ones.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connections
from django.db.models import DateTimeField, Func
from django.utils import timezone

CLOCK_FUNCTION = "django_worklog_now"


def server_now() -> datetime:
    """The application server's clock: the source of times on databases without the trigger."""
    return timezone.now()


class DatabaseClock(Func):
    """``django_worklog_now()``: the clock the PostgreSQL triggers check times against."""

    function = CLOCK_FUNCTION
    template = "%(function)s()"
    output_field = DateTimeField()


def database_keeps_time(using: str) -> bool:
    """Whether the database sets and checks session times (PostgreSQL, migration 0003)."""
    return connections[using].vendor == "postgresql"


def stop_values(started_at: datetime, now: datetime) -> tuple[datetime, int]:
    """``(stopped_at, duration_seconds)`` of a session stopped at ``now``, as the trigger derives
    them: never before the start, whole seconds rounded down."""
    stopped_at = max(now, started_at)
    return stopped_at, (stopped_at - started_at) // timedelta(seconds=1)
