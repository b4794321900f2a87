"""Attacks on the append-only audit table on MariaDB that only this package has (PostgreSQL:
test_attacks_append_only.py; every write path on the table itself: tests/test_contracts.py).

The second group plays the deployment docs/packages/audit-log.md describes for MariaDB: the
application connects as a user with exactly the documented GRANTs (no DROP, ALTER, TRIGGER).
Creating users commits on MariaDB, so the tests are transactional and drop the user after.
"""

from __future__ import annotations

import datetime
import uuid

import MySQLdb
import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from django_audit_log import log_event
from django_audit_log.models import AuditLog
from django_audit_log.retention import PRUNE_FUNCTION, prune

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
    ),
    pytest.mark.django_db(transaction=True),
]

TABLE = AuditLog._meta.db_table
REFUSED = "refused: audit entries are append-only"


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else None


@pytest.fixture
def entry():
    return log_event("invoice.sent", metadata={"to": "x@y.z"})


def assert_untouched(entry):
    stored = AuditLog.objects.get(pk=entry.pk)
    assert (stored.action, stored.metadata) == ("invoice.sent", {"to": "x@y.z"})


def test_prune_goes_through_the_procedure(entry):
    moment = timezone.now() - datetime.timedelta(days=400)
    (ancient,) = AuditLog.objects.bulk_create([AuditLog(action="old", created_at=moment)])
    assert prune(timezone.now() - datetime.timedelta(days=30)) == 1
    assert not AuditLog.objects.filter(pk=ancient.pk).exists()
    assert_untouched(entry)


# --- a deployment whose application user has only the documented GRANTs ------------------------


@pytest.fixture
def app_user():
    """A second MariaDB user with the documented GRANTs, and a connection of its own."""
    name = f"audit_app_{uuid.uuid4().hex[:12]}"
    database = connection.settings_dict["NAME"]
    settings = connection.settings_dict
    sql(f"CREATE USER '{name}'@'%%'")
    try:
        sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO '{name}'@'%%'")
        sql(f"GRANT EXECUTE ON PROCEDURE `{database}`.`{PRUNE_FUNCTION}` TO '{name}'@'%%'")
        app = MySQLdb.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=int(settings["PORT"] or 3306),
            user=name,
            database=database,
            autocommit=True,
        )
        try:
            yield app.cursor()
        finally:
            app.close()
    finally:
        sql(f"DROP USER '{name}'@'%%'")


def as_app(cursor, statement, params=None):
    cursor.execute(statement, params)
    return cursor.fetchall()


def test_the_application_user_appends_entries(app_user):
    as_app(
        app_user,
        f"INSERT INTO {TABLE} (id, created_at, action, actor_display, target_id, "
        "target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, "
        "stamp) VALUES (%s, UTC_TIMESTAMP(6), 'login', '', '', '', '{}', '{}', '', '', "
        "'normal', 0, '')",
        [uuid.uuid4().hex],
    )
    assert AuditLog.objects.filter(action="login").count() == 1


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        (f"UPDATE {TABLE} SET action = 'forged'", f"UPDATE on {TABLE} {REFUSED}"),
        (f"DELETE FROM {TABLE}", f"DELETE on {TABLE} {REFUSED}"),
        (f"TRUNCATE {TABLE}", "DROP command denied"),
        (f"DROP TRIGGER {TABLE}_append_only_delete", "TRIGGER command denied"),
        (f"ALTER TABLE {TABLE} ADD COLUMN x int", "ALTER command denied"),
    ],
)
def test_the_application_user_cannot_change_or_remove_entries(app_user, entry, statement, refusal):
    with pytest.raises(MySQLdb.DatabaseError, match=refusal):
        as_app(app_user, statement)
    assert_untouched(entry)


def test_the_application_user_cannot_open_a_route(app_user, entry):
    database = connection.settings_dict["NAME"]
    with pytest.raises(MySQLdb.DatabaseError, match="Access denied"):
        as_app(app_user, f"ALTER DATABASE `{database}` COMMENT = 'x'")
    # The test database is marked (this suite flushes it): the switch alone must not suffice
    # for an UPDATE, and the retention pass cannot be read or guessed.
    as_app(app_user, "SET @`django_basemodels.test_flush` = 'on'")
    with pytest.raises(MySQLdb.DatabaseError, match=f"UPDATE on {TABLE} {REFUSED}"):
        as_app(app_user, f"UPDATE {TABLE} SET action = 'forged'")
    readable = as_app(
        app_user,
        "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = %s "
        "UNION ALL SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES "
        "WHERE ROUTINE_NAME = %s",
        [TABLE, PRUNE_FUNCTION],
    )
    assert all(body is None for (body,) in readable)
    with pytest.raises(MySQLdb.DatabaseError, match="TRIGGER privilege"):
        as_app(app_user, f"SHOW CREATE TRIGGER {TABLE}_append_only_delete")
    with pytest.raises(MySQLdb.DatabaseError, match="denied"):
        as_app(app_user, "SELECT body FROM mysql.proc")
    as_app(app_user, "SET @`django_basemodels.test_flush` = NULL")
    as_app(app_user, f"SET @`{TABLE}_retention_pass` = %s", ["0" * 32])
    with pytest.raises(MySQLdb.DatabaseError, match=f"DELETE on {TABLE} {REFUSED}"):
        as_app(app_user, f"DELETE FROM {TABLE}")
    assert_untouched(entry)


def test_the_application_user_prunes_only_through_the_procedure(app_user, entry):
    moment = timezone.now() - datetime.timedelta(days=400)
    (ancient,) = AuditLog.objects.bulk_create([AuditLog(action="old", created_at=moment)])
    with pytest.raises(MySQLdb.DatabaseError, match="expected a cutoff in the past"):
        as_app(app_user, f"CALL {PRUNE_FUNCTION}(UTC_TIMESTAMP(6) + INTERVAL 1 DAY, NULL)")
    with pytest.raises(MySQLdb.DatabaseError, match="expected at least 1 row a batch, or NULL"):
        as_app(app_user, f"CALL {PRUNE_FUNCTION}(UTC_TIMESTAMP(6) - INTERVAL 30 DAY, 0)")
    cutoff = "UTC_TIMESTAMP(6) - INTERVAL 30 DAY"
    assert as_app(app_user, f"CALL {PRUNE_FUNCTION}({cutoff}, 10)") == ((1,),)
    while app_user.nextset():
        pass
    with pytest.raises(MySQLdb.DatabaseError, match=f"DELETE on {TABLE} {REFUSED}"):
        as_app(app_user, f"DELETE FROM {TABLE}")
    assert not AuditLog.objects.filter(pk=ancient.pk).exists()
    assert_untouched(entry)


def procedure_parameters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT PARAMETER_NAME FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = "
            "DATABASE() AND SPECIFIC_NAME = %s ORDER BY ORDINAL_POSITION",
            [PRUNE_FUNCTION],
        )
        return [name for (name,) in cursor.fetchall()]


def test_0010_gives_the_procedure_a_batch_size_and_takes_it_back_when_reversed(entry):
    from django.db.migrations.executor import MigrationExecutor

    def migrate_to(name):
        MigrationExecutor(connection).migrate([("django_audit_log", name)])

    (latest,) = MigrationExecutor(connection).loader.graph.leaf_nodes("django_audit_log")
    assert procedure_parameters() == ["cutoff", "max_rows"]
    try:
        migrate_to("0009_model_time_index")
        assert procedure_parameters() == ["cutoff"]
        with pytest.raises(IntegrityError, match=f"DELETE on {TABLE} {REFUSED}"):
            AuditLog.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    finally:
        migrate_to(latest[1])
    assert procedure_parameters() == ["cutoff", "max_rows"]
    with pytest.raises(IntegrityError, match=f"DELETE on {TABLE} {REFUSED}"):
        AuditLog.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert_untouched(entry)
