"""The test-database mark and the flush route's switch (the triggers' side is in
test_migration_ops.py, the plugin and the runner end to end in test_pytest_plugin.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from django_basemodels.flush_route import (
    FLUSH_SWITCH,
    FlushRoute,
    is_marked_test_database,
    mark_test_database,
    open_flush_route,
)


def switch(conn=connection):
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [FLUSH_SWITCH])
        return cursor.fetchone()[0]


TRIGGERS = connection.vendor in ("postgresql", "mysql")


@pytest.mark.django_db
def test_the_test_database_was_marked_when_it_was_created():
    # This suite's databases are created by pytest-django; the plugin marked them.
    assert is_marked_test_database(connection) is TRIGGERS


@pytest.mark.django_db(transaction=True)  # ALTER DATABASE commits on MariaDB
def test_marking_is_a_no_op_elsewhere_than_postgresql_and_mariadb():
    if TRIGGERS:
        assert mark_test_database(connection) is True
        assert is_marked_test_database(connection)
    else:
        assert mark_test_database(connection) is False
        assert is_marked_test_database(connection) is False


def mariadb_switch(conn=connection):
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT @`{FLUSH_SWITCH}`")
        return cursor.fetchone()[0]


mariadb = pytest.mark.skipif(
    connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
)


@mariadb
@pytest.mark.django_db(transaction=True)
def test_an_unmarked_mariadb_database_is_seen_as_unmarked():
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {name} COMMENT = ''")
    try:
        assert not is_marked_test_database(connection)
    finally:
        mark_test_database(connection)
    assert is_marked_test_database(connection)


@mariadb
@pytest.mark.django_db(transaction=True)
def test_on_mariadb_the_route_switches_open_connections_and_new_ones_of_its_thread_only():
    assert mariadb_switch() in (None, "off")
    seen_in_other_thread = []

    def other_thread():
        seen_in_other_thread.append(mariadb_switch(connections["default"]))
        connections.close_all()

    with open_flush_route():
        assert mariadb_switch() == "on"
        connection.close()
        assert mariadb_switch() == "on"  # a connection opened while the route is open
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert mariadb_switch() == "off"
    assert seen_in_other_thread[0] is None


@pytest.mark.postgresql
@pytest.mark.django_db
def test_an_unmarked_database_is_seen_as_unmarked():
    name = connection.settings_dict["NAME"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS NULL")
        assert not is_marked_test_database(connection)
        transaction.set_rollback(True)
    assert is_marked_test_database(connection)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_route_switches_open_connections_and_new_ones_of_its_thread_only():
    assert switch() in (None, "", "off")
    seen_in_other_thread = []

    def other_thread():
        seen_in_other_thread.append(switch(connections["default"]))
        connections.close_all()

    with open_flush_route():
        assert switch() == "on"
        connection.close()
        assert switch() == "on"  # a connection opened while the route is open
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert switch() == "off"
    assert seen_in_other_thread[0] in (None, "", "off")


@pytest.mark.django_db
def test_the_route_leaves_a_connection_inside_a_transaction_alone(django_assert_num_queries):
    """What every non-transactional test's teardown goes through: not one query."""
    route = FlushRoute()
    with django_assert_num_queries(0):
        route.open()
    try:
        if connection.vendor == "postgresql":
            assert switch() in (None, "", "off")  # a TestCase rolls back; it flushes nothing
    finally:
        with django_assert_num_queries(0):
            route.close()
