"""The one sanctioned way past the append-only triggers: flushing a test database.

Test suites empty the database between transactional tests with one ``TRUNCATE`` (Django's
``flush``), which the triggers installed by ``django_basemodels.migration_ops.AppendOnly``
refuse. They let that ``TRUNCATE`` through only when both hold:

- the database is a **marked test database**: its comment (``COMMENT ON DATABASE``) is
  ``TEST_DATABASE_MARKER``. Only the database's owner or a superuser can set a comment, and
  the test set-up sets it right after Django created the test database, so the mark cannot be
  set by the application's role in a deployment where that role does not own the database;
- the session has the switch ``FLUSH_SWITCH`` on, which ``open_flush_route`` turns on
  just for the flush and off again after it. Tests themselves run with it off: every UPDATE,
  DELETE and TRUNCATE they try meets a trigger that refuses it.

Nothing here imports the test framework; ``django_basemodels.testing`` (unittest) and
``django_basemodels.pytest_plugin`` (pytest) use it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

TEST_DATABASE_MARKER = "django-primitives test database: append-only tables may be flushed"
FLUSH_SWITCH = "django_basemodels.test_flush"


def mark_test_database(connection: BaseDatabaseWrapper, name: str | None = None) -> bool:
    """Mark database ``name`` (default: the one ``connection`` is connected to) as a test
    database whose append-only tables may be flushed. Returns whether a mark was set.

    Call it only on a database the test set-up has just created: it is what lets the flush
    route open. PostgreSQL only; elsewhere there are no triggers to pass and nothing is done.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        if name is None:
            cursor.execute("SELECT current_database()")
            (name,) = cursor.fetchone()
        quoted_marker = "'" + TEST_DATABASE_MARKER.replace("'", "''") + "'"
        cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS {quoted_marker}")
    return True


def is_marked_test_database(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database ``connection`` is connected to carries the test-database mark."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        (comment,) = cursor.fetchone()
    return bool(comment == TEST_DATABASE_MARKER)


class FlushRoute:
    """The switch, on for the connections of the thread that opens the route, until closed.

    Connections already open get it at once; connections opened meanwhile (a flush after the
    test closed its connection) get it from ``connection_created``. Connections inside a
    transaction (a ``TestCase`` about to roll back) are left alone: they flush nothing.
    """

    def __init__(self) -> None:
        self._thread = threading.get_ident()
        self._switched: list[BaseDatabaseWrapper] = []

    def open(self) -> None:
        connection_created.connect(self._on_connection_created, weak=False)
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None and not connection.in_atomic_block:
                self._switch(connection, "on")

    def close(self) -> None:
        connection_created.disconnect(self._on_connection_created)
        for connection in self._switched:
            # A TransactionTestCase closes its connections after the flush, switch included.
            if connection.connection is not None:
                self._switch(connection, "off")
        self._switched.clear()

    def _on_connection_created(
        self, sender: Any, connection: BaseDatabaseWrapper, **_: Any
    ) -> None:
        if threading.get_ident() == self._thread:
            self._switch(connection, "on")

    def _switch(self, connection: BaseDatabaseWrapper, value: str) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [FLUSH_SWITCH, value])
        if value == "on":
            self._switched.append(connection)


@contextmanager
def open_flush_route() -> Iterator[None]:
    """Let a flush run inside the block pass the append-only triggers of a marked test database."""
    route = FlushRoute()
    route.open()
    try:
        yield
    finally:
        route.close()
