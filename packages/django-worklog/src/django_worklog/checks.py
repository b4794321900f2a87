"""System checks of django-worklog (ids ``worklog.W001`` ...), run with ``check --database``."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import connections

from django_basemodels.constraints import conditional_uniqueness_enforced

TRIGGER_VENDORS = ("postgresql", "sqlite", "mysql")


@checks.register(checks.Tags.database)
def check_database_guards(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if not conditional_uniqueness_enforced(connection):
            messages.append(
                checks.Warning(
                    f"database {alias!r} ({connection.vendor}) enforces no conditional unique "
                    "constraint (neither a partial unique index nor a generated column): "
                    "one active work session per user is enforced by start_session()'s lock and "
                    "the model's save() only, not by the database",
                    hint="Write sessions only through start_session()/stop_session(), or use "
                    "PostgreSQL, SQLite or MariaDB.",
                    id="worklog.W001",
                )
            )
        if connection.vendor not in TRIGGER_VENDORS:
            messages.append(
                checks.Warning(
                    f"database {alias!r} ({connection.vendor}) gets no immutability trigger: "
                    "raw SQL could change a stopped session's duration",
                    hint="The ORM paths still refuse; use PostgreSQL, MariaDB or SQLite for "
                    "the database-level guard.",
                    id="worklog.W002",
                )
            )
    return messages
