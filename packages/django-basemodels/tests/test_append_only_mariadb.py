"""``AppendOnly`` on MariaDB: what it installs on ``testapp.LedgerLine``, and the routes past it.

DDL commits on MariaDB, so these tests are transactional: each installs the triggers, and
uninstalls them before the flush that ends it. Skipped on other databases (the PostgreSQL
triggers are tested in test_migration_ops.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, DataError, IntegrityError, connection
from django.utils import timezone

from django_basemodels.flush_route import FLUSH_SWITCH, TEST_DATABASE_MARKER, mark_test_database
from tests.test_migration_ops import LEDGER, PRUNE, TABLE, run
from tests.testapp.models import Clerk, LedgerLine

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql",
        reason=f"about MariaDB's triggers; this run uses {connection.vendor}",
    ),
    pytest.mark.django_db(transaction=True),
]


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else None


def refused(operation):
    return f"^\\(4025, '{operation} on {TABLE} refused: ledger lines are append-only'\\)$"


@pytest.fixture
def clerks():
    return Clerk.objects.create(name="ann"), Clerk.objects.create(name="bob")


@pytest.fixture
def ledger(clerks):
    ann, bob = clerks
    line = LedgerLine.objects.create(
        clerk=ann, approver=bob, booked_by=bob, amount=10, booked_at=timezone.now()
    )
    run(LEDGER)
    yield line
    run(LEDGER, backwards=True)
    sql("SET @`django_basemodels.test_flush` = NULL")


def untouched(line):
    stored = LedgerLine.objects.get(pk=line.pk)
    return (stored.clerk_id, stored.approver_id, stored.amount) == (
        line.clerk_id,
        line.approver_id,
        10,
    )


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET amount = 11", "UPDATE"),
        (f"UPDATE {TABLE} SET amount = amount + 0", "UPDATE"),  # changes nothing: still refused
        (f"UPDATE {TABLE} SET booked_at = (SELECT NOW())", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"DELETE FROM {TABLE} WHERE amount IN (SELECT 10)", "DELETE"),
    ],
)
def test_every_update_and_delete_is_refused_with_the_postgresql_message(
    ledger, statement, operation
):
    with pytest.raises(IntegrityError, match=refused(operation)):
        sql(statement)
    assert untouched(ledger)


def test_truncate_is_not_trapped_on_mariadb(ledger):
    """Documented: TRUNCATE fires no trigger. A role without DROP cannot run it (see the
    audit-log attack tests); this test's user can."""
    sql(f"TRUNCATE {TABLE}")
    assert not LedgerLine.objects.exists()


@pytest.mark.parametrize(
    "assignment",
    ["clerk_id = NULL", "approver_id = NULL", "clerk_id = NULL, approver_id = NULL"],
)
def test_declared_keys_may_be_set_to_null_and_nothing_else(ledger, assignment):
    sql(f"UPDATE {TABLE} SET {assignment}")
    stored = LedgerLine.objects.get()
    assert stored.amount == 10
    assert None in (stored.clerk_id, stored.approver_id)


@pytest.mark.parametrize(
    "assignment",
    [
        "clerk_id = NULL, amount = 11",  # a null plus a forgery
        "clerk_id = approver_id",  # another value, not NULL
        "clerk_id = clerk_id",  # nothing set to NULL
        "clerk_id = NULL, booked_at = booked_at + INTERVAL 1 MICROSECOND",
    ],
)
def test_set_null_cannot_carry_another_change(ledger, assignment):
    with pytest.raises(IntegrityError, match=refused("UPDATE")):
        sql(f"UPDATE {TABLE} SET {assignment}")
    assert untouched(ledger)


def test_set_null_compares_bytes_not_collation(ledger):
    """Text that a case-insensitive, space-padding collation calls equal is still a change."""
    sql(f"ALTER TABLE {TABLE} ADD COLUMN note varchar(20) NOT NULL DEFAULT 'paid'")
    try:
        run(LEDGER, backwards=True)
        run(LEDGER)  # installed again, now comparing the note too
        for forged in ["'PAID'", "'paid '"]:
            with pytest.raises(IntegrityError, match=refused("UPDATE")):
                sql(f"UPDATE {TABLE} SET clerk_id = NULL, note = {forged}")
        assert sql(f"SELECT note FROM {TABLE}") == [("paid",)]
    finally:
        sql(f"ALTER TABLE {TABLE} DROP COLUMN note")


def test_a_column_added_after_the_triggers_closes_the_set_null_exception(ledger, clerks):
    second = LedgerLine.objects.create(
        clerk=clerks[0], booked_by=clerks[1], amount=5, booked_at=timezone.now()
    )
    # A SET NULL that passed leaves this session a token of its statement (columns checked)...
    sql(f"UPDATE {TABLE} SET approver_id = NULL WHERE id = %s", [ledger.pk])
    (token,) = sql(f"SELECT @`{TABLE}_columns_ok`")[0]
    assert token
    sql(f"ALTER TABLE {TABLE} ADD COLUMN note varchar(20) NULL")
    try:
        # ...which neither carries over to the next statement nor can be made for it.
        sql(f"SET @`{TABLE}_columns_ok` = %s", [token])
        with pytest.raises(IntegrityError, match=refused("UPDATE")):
            sql(f"UPDATE {TABLE} SET clerk_id = NULL, note = 'forged' WHERE id = %s", [second.pk])
        forged = f"(@`{TABLE}_columns_ok` := SHA2(CONCAT(CONNECTION_ID(), '@', NOW(6)), 256))"
        with pytest.raises(IntegrityError, match=refused("UPDATE")):
            sql(f"UPDATE {TABLE} SET clerk_id = NULL, note = 'x' WHERE {forged} IS NOT NULL")
        with pytest.raises(IntegrityError, match=refused("UPDATE")):
            sql(f"UPDATE {TABLE} SET clerk_id = NULL")  # fails closed, even plain
    finally:
        sql(f"ALTER TABLE {TABLE} DROP COLUMN note")
    sql(f"UPDATE {TABLE} SET clerk_id = NULL")  # the columns it knows again: open again
    assert list(LedgerLine.objects.values_list("clerk_id", flat=True)) == [None, None]


def test_django_set_null_passes_the_trigger(ledger, clerks):
    clerks[0].delete()
    assert LedgerLine.objects.get().clerk_id is None


def test_the_retention_procedure_deletes_only_rows_older_than_the_cutoff(ledger, clerks):
    now = timezone.now()
    old = LedgerLine.objects.create(
        booked_by=clerks[1], amount=1, booked_at=now - datetime.timedelta(days=400)
    )
    cutoff = connection.ops.adapt_datetimefield_value(now - datetime.timedelta(days=30))
    assert sql(f"CALL {PRUNE}(%s)", [cutoff]) == [(1,)]
    assert list(LedgerLine.objects.values_list("pk", flat=True)) == [ledger.pk]
    assert not LedgerLine.objects.filter(pk=old.pk).exists()
    # No pass is left behind: the very next DELETE of the session is refused.
    with pytest.raises(IntegrityError, match=refused("DELETE")):
        sql(f"DELETE FROM {TABLE}")


@pytest.mark.parametrize("cutoff", [None, "future"])
def test_the_retention_procedure_refuses_a_cutoff_not_in_the_past(ledger, cutoff):
    if cutoff == "future":
        moment = timezone.now() + datetime.timedelta(minutes=5)
        cutoff = connection.ops.adapt_datetimefield_value(moment)
    with pytest.raises(DataError, match=f"{PRUNE}.* refused: expected a cutoff in the past"):
        sql(f"CALL {PRUNE}(%s)", [cutoff])
    assert LedgerLine.objects.count() == 1


def test_a_failing_retention_run_leaves_no_pass_open(ledger, clerks):
    """The DELETE inside the procedure fails (a foreign key): the pass is cleared all the same."""
    old = LedgerLine.objects.create(
        booked_by=clerks[1], amount=1, booked_at=timezone.now() - datetime.timedelta(days=400)
    )
    sql(
        "CREATE TABLE testapp_ledger_ref (line_id bigint NOT NULL, "
        f"FOREIGN KEY (line_id) REFERENCES {TABLE} (id))"
    )
    try:
        sql("INSERT INTO testapp_ledger_ref VALUES (%s)", [old.pk])
        with pytest.raises(IntegrityError, match="foreign key constraint fails"):
            sql(f"CALL {PRUNE}(UTC_TIMESTAMP(6))")
        (variable,) = sql(f"SELECT @`{TABLE}_retention_pass`")[0]
        assert variable is None
        sql("DELETE FROM testapp_ledger_ref")
        with pytest.raises(IntegrityError, match=refused("DELETE")):
            sql(f"DELETE FROM {TABLE}")
    finally:
        sql("DROP TABLE testapp_ledger_ref")
    assert LedgerLine.objects.count() == 2


def test_a_guessed_retention_pass_opens_nothing(ledger):
    sql(f"SET @`{TABLE}_retention_pass` = %s", ["0" * 32])
    with pytest.raises(IntegrityError, match=refused("DELETE")):
        sql(f"DELETE FROM {TABLE}")
    assert untouched(ledger)


@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"UPDATE {TABLE} SET amount = 1"])
def test_the_flush_switch_opens_no_update_and_no_delete_in_an_unmarked_database(ledger, statement):
    unmark()
    try:
        sql(f"SET @`{FLUSH_SWITCH}` = 'on'")
        with pytest.raises(IntegrityError, match="refused: ledger lines are append-only"):
            sql(statement)
    finally:
        mark_test_database(connection)
    assert untouched(ledger)


def test_the_flush_switch_opens_no_update_in_a_marked_database(ledger):
    sql(f"SET @`{FLUSH_SWITCH}` = 'on'")
    with pytest.raises(IntegrityError, match=refused("UPDATE")):
        sql(f"UPDATE {TABLE} SET amount = 1")
    assert untouched(ledger)


def test_the_flush_route_deletes_in_a_marked_test_database(ledger):
    sql(f"SET @`{FLUSH_SWITCH}` = 'on'")
    sql(f"DELETE FROM {TABLE}")
    assert not LedgerLine.objects.exists()


@pytest.mark.parametrize("comment", ["", "a copy of production", TEST_DATABASE_MARKER + " "])
def test_the_flush_route_is_refused_in_a_database_that_is_not_marked(ledger, comment):
    unmark(comment)
    try:
        sql(f"SET @`{FLUSH_SWITCH}` = 'on'")
        with pytest.raises(IntegrityError, match=refused("DELETE")):
            sql(f"DELETE FROM {TABLE}")
    finally:
        mark_test_database(connection)
    assert LedgerLine.objects.count() == 1


def unmark(comment=""):
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    sql(f"ALTER DATABASE {name} COMMENT = %s", [comment])


def test_a_rows_text_too_long_for_a_mariadb_message_is_refused_when_the_migration_runs():
    from django_basemodels.exceptions import AppendOnlyDeclarationError
    from django_basemodels.migration_ops import AppendOnly

    with pytest.raises(AppendOnlyDeclarationError, match="512-character"):
        run(AppendOnly("ledgerline", rows="x" * 500))
    assert triggers() == []


def triggers():
    rows = sql(
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
        "WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %s ORDER BY 1",
        [TABLE],
    )
    return [name for (name,) in rows]


def test_reversing_removes_everything_it_installed(ledger):
    assert triggers() == [f"{TABLE}_append_only_delete", f"{TABLE}_append_only_update"]
    run(LEDGER, backwards=True)
    assert triggers() == []
    sql(f"UPDATE {TABLE} SET amount = 11")
    assert LedgerLine.objects.get().amount == 11
    with pytest.raises(DatabaseError, match=f"PROCEDURE .*{PRUNE} does not exist"):
        sql(f"CALL {PRUNE}(UTC_TIMESTAMP(6))")
    run(LEDGER)  # the fixture's teardown reverses it


def test_vendors_limit_a_declaration_to_some_databases(ledger):
    from django_basemodels.migration_ops import AppendOnly

    run(LEDGER, backwards=True)
    postgresql_only = AppendOnly("ledgerline", rows="ledger lines", vendors=["postgresql"])
    run(postgresql_only)
    assert triggers() == []
    sql(f"UPDATE {TABLE} SET amount = 11")  # nothing refuses it here
    run(postgresql_only, backwards=True)
    run(LEDGER)  # the fixture's teardown reverses it
