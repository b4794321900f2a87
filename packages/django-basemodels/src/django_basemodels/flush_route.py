"""The one sanctioned way past the append-only triggers: flushing a test database.

Test suites empty the database between transactional tests with Django's ``flush``: one
``TRUNCATE`` on PostgreSQL, a ``DELETE`` of every table on MariaDB. The triggers installed by
``django_basemodels.migration_ops.AppendOnly`` refuse both. They let the flush through only when
both hold:

- the database is a **marked test database**: its comment is ``TEST_DATABASE_MARKER``.
  On PostgreSQL (``COMMENT ON DATABASE``) only the database's owner or a superuser can set it;
  on MariaDB (``ALTER DATABASE ... COMMENT``) only a user with the ALTER privilege on the
  database. The test set-up sets it right after Django created the test database, so the mark
  cannot be set by the application's role in a deployment where that role neither owns the
  database (PostgreSQL) nor holds ALTER on it (MariaDB);
- the session has the switch ``FLUSH_SWITCH`` on (a setting on PostgreSQL, the user variable
  ``@`django_basemodels.test_flush``` on MariaDB), which ``open_flush_route`` turns on just for
  the flush and off again after it. Tests themselves run with it off: every UPDATE, DELETE (and
  on PostgreSQL TRUNCATE) they try meets a trigger that refuses it.

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


def has_append_only_triggers(connection: BaseDatabaseWrapper) -> bool:
    """Whether ``AppendOnly`` installs triggers on this connection's database: PostgreSQL and
    MariaDB (Django's vendor "mysql"; MySQL itself is not supported)."""
    return connection.vendor == "postgresql" or bool(
        connection.vendor == "mysql" and getattr(connection, "mysql_is_mariadb", False)
    )


def mark_test_database(connection: BaseDatabaseWrapper, name: str | None = None) -> bool:
    """Mark database ``name`` (default: the one ``connection`` is connected to) as a test
    database whose append-only tables may be flushed. Returns whether a mark was set.

    Call it only on a database the test set-up has just created: it is what lets the flush
    route open. PostgreSQL and MariaDB; elsewhere there are no triggers to pass and nothing is
    done. (On MariaDB ``ALTER DATABASE`` commits the transaction in progress.)
    """
    if not has_append_only_triggers(connection):
        return False
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if name is None:
            cursor.execute("SELECT current_database()" if postgresql else "SELECT DATABASE()")
            (name,) = cursor.fetchone()
        # The marker holds no backslash: quoting its quotes is enough on both databases.
        database = connection.ops.quote_name(name)
        marker = "'" + TEST_DATABASE_MARKER.replace("'", "''") + "'"
        if postgresql:
            cursor.execute(f"COMMENT ON DATABASE {database} IS {marker}")
        else:
            cursor.execute(f"ALTER DATABASE {database} COMMENT = {marker}")
    return True


def is_marked_test_database(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database ``connection`` is connected to carries the test-database mark."""
    if not has_append_only_triggers(connection):
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
        else:
            cursor.execute(
                "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA "
                "WHERE SCHEMA_NAME = DATABASE()"
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
        if not has_append_only_triggers(connection):
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, %s, false)", [FLUSH_SWITCH, value])
            else:
                cursor.execute(f"SET @`{FLUSH_SWITCH}` = %s", [value])
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
