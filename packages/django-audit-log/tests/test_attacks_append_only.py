"""Attacks on the append-only audit table on PostgreSQL that only this package has (every write
path on the table itself, on every database: tests/test_contracts.py).

The last group plays the deployment docs/packages/audit-log.md describes: the application
connects as a role that owns neither the table nor the database, with exactly the documented
GRANTs. The role is created inside the test's transaction, so it leaves nothing behind.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from django_audit_log import log_event
from django_audit_log.models import AuditLog
from django_audit_log.retention import PRUNE_FUNCTION, prune
from django_basemodels.flush_route import FLUSH_SWITCH

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = AuditLog._meta.db_table
REFUSED = "refused: audit entries are append-only"


def sql(statement: str, params=()):
    """One statement in a savepoint: a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def old_entry(days: int) -> AuditLog:
    moment = timezone.now() - datetime.timedelta(days=days)
    (entry,) = AuditLog.objects.bulk_create([AuditLog(action=f"old-{days}", created_at=moment)])
    return entry


@pytest.fixture
def entry():
    made = log_event("invoice.sent", metadata={"to": "x@y.z"})
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE must meet the trigger, not pending FK checks
    return made


def assert_untouched(entry: AuditLog) -> None:
    stored = AuditLog.objects.get(pk=entry.pk)
    assert (stored.action, stored.metadata) == ("invoice.sent", {"to": "x@y.z"})


@pytest.fixture
def production_database():
    """This test database without its test-database mark (rolled back with the test)."""
    (name,) = sql("SELECT current_database()")[0]
    sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS 'production'")


@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"])
def test_the_old_maintenance_switch_opens_nothing(production_database, entry, statement):
    """0002's session switch. The flush switch: tests/test_contracts.py."""
    sql("SELECT set_config(%s, 'on', false)", ["django_audit_log.maintenance"])
    with pytest.raises(IntegrityError, match=REFUSED):
        sql(statement)
    assert_untouched(entry)


def test_the_old_switch_no_longer_exists_anywhere():
    functions = sql(
        "SELECT proname FROM pg_proc WHERE prosrc LIKE %s", ["%django_audit_log.maintenance%"]
    )
    assert functions == []


# --- a deployment whose application role owns neither the table nor the database --------------


@pytest.fixture
def app_role():
    """The documented GRANTs, for a fresh role (rolled back with the test's transaction)."""
    role = f"audit_app_{uuid.uuid4().hex[:12]}"
    for statement in [
        f"CREATE ROLE {role} NOLOGIN",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE ON {TABLE} FROM {role}",
        f"GRANT UPDATE (actor_id, target_content_type_id) ON {TABLE} TO {role}",
    ]:
        sql(statement)
    return role


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    sql(f"SET ROLE {role}")
    try:
        yield
    finally:
        sql("RESET ROLE")


def test_the_application_role_appends_entries(app_role):
    with acting_as(app_role):
        written = log_event("login")
        assert AuditLog.objects.filter(pk=written.pk).exists()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {TABLE} SET action = 'forged'",
        f"UPDATE {TABLE} SET actor_id = NULL, action = 'forged'",
        f"DELETE FROM {TABLE}",
        f"TRUNCATE {TABLE}",
    ],
)
def test_the_application_role_cannot_change_or_remove_entries(app_role, entry, statement):
    with acting_as(app_role), pytest.raises(DatabaseError):
        sql(statement)
    assert_untouched(entry)


@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"])
def test_even_a_careless_grant_leaves_the_trigger_standing(
    production_database, app_role, entry, statement
):
    sql(f"GRANT UPDATE, DELETE, TRUNCATE ON {TABLE} TO {app_role}")
    with acting_as(app_role):
        for setting in ["django_audit_log.maintenance", FLUSH_SWITCH]:
            sql("SELECT set_config(%s, 'on', false)", [setting])
        with pytest.raises(IntegrityError, match=REFUSED):
            sql(statement)
    assert_untouched(entry)


def test_the_application_role_cannot_open_a_route(app_role, entry):
    (name,) = sql("SELECT current_database()")[0]
    # Mark the database as a test database: only its owner may.
    with acting_as(app_role), pytest.raises(DatabaseError, match="must be owner"):
        sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS 'x'")
    # Forge the retention pass (INSERT came with ALL TABLES above), with DELETE granted too:
    # the trigger still wants the retention function's owner as the current user.
    sql(f"GRANT DELETE ON {TABLE} TO {app_role}")
    with acting_as(app_role):
        sql(f"INSERT INTO {TABLE}_retention_pass VALUES (txid_current())")
        with pytest.raises(IntegrityError, match=f"DELETE on {TABLE} {REFUSED}"):
            sql(f"DELETE FROM {TABLE}")
    assert_untouched(entry)


def test_the_application_role_prunes_only_through_the_function(app_role, entry):
    ancient = old_entry(400)
    cutoff = timezone.now() - datetime.timedelta(days=30)
    with acting_as(app_role), pytest.raises(DatabaseError, match="permission denied"):
        prune(cutoff)  # not granted yet
    signature = f"{PRUNE_FUNCTION}(timestamp with time zone, integer)"
    sql(f"GRANT EXECUTE ON FUNCTION {signature} TO {app_role}")
    with acting_as(app_role):
        with pytest.raises(DatabaseError, match="expected a cutoff in the past"):
            sql(f"SELECT {PRUNE_FUNCTION}(now() + interval '1 day')")
        assert prune(cutoff) == 1
        with pytest.raises(DatabaseError):
            sql(f"DELETE FROM {TABLE}")
    assert not AuditLog.objects.filter(pk=ancient.pk).exists()
    assert_untouched(entry)
    assert AuditLog.objects.filter(action="audit_log.pruned").count() == 1


def triggers():
    rows = sql(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
        "ORDER BY tgname",
        [TABLE],
    )
    return [name for (name,) in rows]


def test_the_migration_is_reversible():
    executor = MigrationExecutor(connection)
    (latest,) = executor.loader.graph.leaf_nodes("django_audit_log")
    executor.migrate([("django_audit_log", "0004_entry_writer_jsonb")])
    assert triggers() == ["django_audit_log_append_only", "django_audit_log_no_truncate"]
    assert sql("SELECT to_regproc(%s)", [PRUNE_FUNCTION]) == [(None,)]
    MigrationExecutor(connection).migrate([latest])
    assert triggers() == [f"{TABLE}_append_only", f"{TABLE}_no_truncate"]
    assert sql("SELECT to_regproc(%s)::text", [PRUNE_FUNCTION]) == [(PRUNE_FUNCTION,)]
