"""``AppendOnly`` and ``PostgreSQLOnlySQL``: the declaration, and what it installs on PostgreSQL
(MariaDB's triggers: test_append_only_mariadb.py).

The PostgreSQL tests install the triggers on ``testapp.LedgerLine`` inside the test's
transaction (DDL is transactional there), so every test starts without them.
"""

from __future__ import annotations

import datetime
from contextlib import nullcontext

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, ProgrammingError, connection, transaction
from django.db.migrations.state import ProjectState
from django.db.migrations.writer import MigrationWriter
from django.utils import timezone

from django_basemodels.append_only_postgresql import BODY, FLUSH_HINT, UNMARKED_HINT
from django_basemodels.exceptions import AppendOnlyDeclarationError, BaseModelsError
from django_basemodels.flush_route import FLUSH_SWITCH, TEST_DATABASE_MARKER
from django_basemodels.migration_ops import (
    APPEND_ONLY_BACKENDS,
    AppendOnly,
    PostgreSQLOnlySQL,
    Retention,
)
from tests.testapp.models import Clerk, LedgerLine

TABLE = LedgerLine._meta.db_table
PRUNE = "testapp_prune_ledger"
LEDGER = AppendOnly(
    "ledgerline",
    rows="ledger lines",
    hint="Book a correcting line instead.",
    set_null=["clerk", "approver"],
    retention=Retention(function=PRUNE, field="booked_at"),
)


def run(operation, *, backwards=False):
    state = ProjectState.from_apps(apps)
    editor = connection.schema_editor()
    # SQLite's editor cannot be entered inside the test's transaction (it would switch foreign
    # key checks off); nothing runs SQL there, so the operation gets it unentered.
    with editor if connection.vendor == "postgresql" else nullcontext():
        if backwards:
            operation.database_backwards("testapp", editor, state, state)
        else:
            operation.database_forwards("testapp", editor, state, state)


def sql(statement, params=()):
    """Run one statement in a savepoint, so a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def hint_of(error):
    return error.__cause__.diag.message_hint


@pytest.fixture
def clerks(db):
    return Clerk.objects.create(name="ann"), Clerk.objects.create(name="bob")


@pytest.fixture
def line(clerks):
    ann, bob = clerks
    return LedgerLine.objects.create(
        clerk=ann, approver=bob, booked_by=bob, amount=10, booked_at=timezone.now()
    )


@pytest.fixture
def ledger(line):
    """The ledger table made append-only, with one line in it and no pending FK checks."""
    run(LEDGER)
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE must meet the trigger, not pending checks
    return line


# --- the declaration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"model_name": ""}, "''"),
        ({"model_name": 7}, "7"),
        ({"rows": ""}, "''"),
        ({"rows": f"lines {BODY}"}, BODY),
        ({"hint": None}, "None"),
        ({"set_null": "clerk"}, "'clerk'"),
        ({"set_null": [3]}, "[3]"),
        ({"retention": "prune"}, "'prune'"),
        ({"vendors": "mysql"}, "'mysql'"),
        ({"vendors": []}, "[]"),
        ({"vendors": ["oracle"]}, "['oracle']"),
    ],
)
def test_bad_declarations_are_refused_naming_the_value(kwargs, named):
    arguments = {"model_name": "ledgerline", "rows": "ledger lines", **kwargs}
    model_name = arguments.pop("model_name")
    with pytest.raises(AppendOnlyDeclarationError, match="expected") as caught:
        AppendOnly(model_name, **arguments)
    assert named in str(caught.value)
    assert isinstance(caught.value, BaseModelsError)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"function": "Prune", "field": "booked_at"}, "'Prune'"),
        ({"function": "prune(); drop table x", "field": "booked_at"}, "drop table"),
        ({"function": "p" * 64, "field": "booked_at"}, "p" * 64),
        ({"function": "prune", "field": ""}, "''"),
    ],
)
def test_bad_retention_is_refused_naming_the_value(kwargs, named):
    with pytest.raises(AppendOnlyDeclarationError, match="expected") as caught:
        Retention(**kwargs)
    assert named in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "field", "expected"),
    [
        ({"set_null": ["booked_by"]}, "booked_by", "a nullable foreign key"),  # not nullable
        ({"set_null": ["amount"]}, "amount", "a nullable foreign key"),
        ({"set_null": ["nothing"]}, "nothing", "a nullable foreign key"),
        ({"retention": Retention(function="p", field="amount")}, "amount", "a DateTimeField"),
    ],
)
def test_fields_that_do_not_fit_are_refused_when_the_migration_runs(kwargs, field, expected, db):
    operation = AppendOnly("ledgerline", rows="ledger lines", **kwargs)
    with pytest.raises(AppendOnlyDeclarationError, match=expected) as caught:
        run(operation)
    assert f"testapp.LedgerLine is {field!r}" in str(caught.value)


def test_the_declaration_resolves_to_database_names():
    spec = LEDGER.resolve(LedgerLine)
    assert spec.table == TABLE
    assert spec.set_null_columns == ("clerk_id", "approver_id")
    assert (spec.retention.function, spec.retention.column) == (PRUNE, "booked_at")


def test_the_operation_is_written_into_migrations_and_described():
    text, imports = MigrationWriter.serialize(LEDGER)
    assert "import django_basemodels.migration_ops" in imports
    assert "retention=django_basemodels.migration_ops.Retention(" in text
    _name, args, kwargs = LEDGER.deconstruct()
    assert AppendOnly(*args, **kwargs).resolve(LedgerLine) == LEDGER.resolve(LedgerLine)
    assert LEDGER.describe() == "Make ledgerline append-only (refuse UPDATE, DELETE, TRUNCATE)"
    assert LEDGER.migration_name_fragment == "ledgerline_append_only"
    assert LEDGER.reversible


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason=f"{connection.vendor} installs triggers (tested below, test_append_only_mariadb.py)",
)
def test_on_sqlite_nothing_is_installed(ledger):
    # No triggers here: the models' Python guards are what stands on this database.
    sql(f"UPDATE {TABLE} SET amount = 99")
    assert LedgerLine.objects.get().amount == 99
    run(LEDGER, backwards=True)


def test_another_database_slots_in_through_the_backends_table(db, monkeypatch):
    calls = []

    class Recorder:
        def install(self, schema_editor, spec):
            calls.append(("install", spec.table, spec.set_null_columns))

        def uninstall(self, schema_editor, spec):
            calls.append(("uninstall", spec.table, spec.set_null_columns))

    monkeypatch.setitem(APPEND_ONLY_BACKENDS, connection.vendor, Recorder())
    run(LEDGER)
    run(LEDGER, backwards=True)
    columns = ("clerk_id", "approver_id")
    assert calls == [("install", TABLE, columns), ("uninstall", TABLE, columns)]


def test_postgresql_only_sql_runs_only_on_postgresql(db):
    operation = PostgreSQLOnlySQL(
        "CREATE FUNCTION testapp_answer() RETURNS int LANGUAGE sql AS 'SELECT 42'",
        "DROP FUNCTION testapp_answer()",
    )
    run(operation)  # on SQLite this SQL would fail: it is not run
    if connection.vendor == "postgresql":
        assert sql("SELECT testapp_answer()") == [(42,)]
        run(operation, backwards=True)
        assert sql("SELECT count(*) FROM pg_proc WHERE proname = 'testapp_answer'") == [(0,)]


# --- what it installs on PostgreSQL ------------------------------------------------------------

pg = pytest.mark.postgresql


@pg
@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET amount = 11", "UPDATE"),
        (f"UPDATE {TABLE} SET amount = amount + 0", "UPDATE"),  # changes nothing: still refused
        (f"UPDATE {TABLE} SET booked_at = (SELECT now())", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"TRUNCATE {TABLE}", "TRUNCATE"),
        (f"TRUNCATE {TABLE} CASCADE", "TRUNCATE"),
    ],
)
def test_every_change_is_refused_with_one_message(ledger, statement, operation):
    with pytest.raises(IntegrityError) as caught:
        sql(statement)
    assert str(caught.value).startswith(
        f"{operation} on {TABLE} refused: ledger lines are append-only"
    )
    expected_hint = FLUSH_HINT if operation == "TRUNCATE" else "Book a correcting line instead."
    assert hint_of(caught.value) == expected_hint
    assert LedgerLine.objects.get().amount == 10


@pg
@pytest.mark.parametrize(
    "assignment",
    ["clerk_id = NULL", "approver_id = NULL", "clerk_id = NULL, approver_id = NULL"],
)
def test_declared_keys_may_be_set_to_null_and_nothing_else(ledger, assignment):
    sql(f"UPDATE {TABLE} SET {assignment}")
    stored = LedgerLine.objects.get()
    assert stored.amount == 10
    assert None in (stored.clerk_id, stored.approver_id)


@pg
@pytest.mark.parametrize(
    "assignment",
    [
        "clerk_id = NULL, amount = 11",  # a null plus a forgery
        "clerk_id = approver_id",  # another value, not NULL
        "clerk_id = clerk_id",  # nothing set to NULL
        "booked_by_id = NULL",  # not declared (and NOT NULL anyway)
    ],
)
def test_set_null_cannot_carry_another_change(ledger, assignment):
    with pytest.raises((IntegrityError,)):
        sql(f"UPDATE {TABLE} SET {assignment}")
    stored = LedgerLine.objects.get()
    assert (stored.clerk_id, stored.approver_id, stored.amount) == (
        ledger.clerk_id,
        ledger.approver_id,
        10,
    )


@pg
def test_django_set_null_passes_the_trigger(ledger, clerks):
    ann, _ = clerks
    ann.delete()
    assert LedgerLine.objects.get().clerk_id is None


@pg
def test_the_retention_function_deletes_only_rows_older_than_the_cutoff(ledger, clerks):
    now = timezone.now()
    old = LedgerLine.objects.create(
        booked_by=clerks[1], amount=1, booked_at=now - datetime.timedelta(days=400)
    )
    assert sql(f"SELECT {PRUNE}(%s)", [now - datetime.timedelta(days=30)]) == [(1,)]
    assert list(LedgerLine.objects.values_list("pk", flat=True)) == [ledger.pk]
    assert not LedgerLine.objects.filter(pk=old.pk).exists()
    # No pass is left behind: the very next DELETE of the same transaction is refused.
    with pytest.raises(IntegrityError, match=r"DELETE on \w+ refused"):
        sql(f"DELETE FROM {TABLE}")
    assert sql(f"SELECT count(*) FROM {TABLE}_retention_pass") == [(0,)]


@pg
@pytest.mark.parametrize("cutoff", [None, "future"])
def test_the_retention_function_refuses_a_cutoff_not_in_the_past(ledger, cutoff):
    if cutoff == "future":
        cutoff = timezone.now() + datetime.timedelta(minutes=5)
    with pytest.raises(DataError, match="expected a cutoff in the past"):
        sql(f"SELECT {PRUNE}(%s)", [cutoff])
    assert LedgerLine.objects.count() == 1


@pg
def test_a_temporary_table_cannot_stand_in_for_the_retention_pass(ledger):
    sql(f"CREATE TEMP TABLE {TABLE}_retention_pass (txid bigint)")
    sql(f"INSERT INTO pg_temp.{TABLE}_retention_pass VALUES (txid_current())")
    sql("SET LOCAL search_path = pg_temp, public")
    with pytest.raises(IntegrityError, match=r"DELETE on \w+ refused"):
        sql(f"DELETE FROM public.{TABLE}")
    assert LedgerLine.objects.count() == 1


@pg
@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"UPDATE {TABLE} SET amount = 1"])
def test_the_flush_switch_opens_no_delete_or_update(ledger, statement):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match="refused: ledger lines are append-only"):
        sql(statement)
    assert LedgerLine.objects.get().amount == 10


@pg
def test_the_flush_route_truncates_a_marked_test_database(ledger):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    sql(f"TRUNCATE {TABLE}")
    assert not LedgerLine.objects.exists()


@pg
@pytest.mark.parametrize("comment", [None, "a copy of production", TEST_DATABASE_MARKER + " "])
def test_the_flush_route_is_refused_in_a_database_that_is_not_marked(ledger, comment):
    (name,) = sql("SELECT current_database()")[0]
    quoted = "NULL" if comment is None else "'" + comment + "'"
    sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS {quoted}")  # rolled back
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match=r"TRUNCATE on \w+ refused") as caught:
        sql(f"TRUNCATE {TABLE}")
    assert hint_of(caught.value) == UNMARKED_HINT
    assert LedgerLine.objects.count() == 1


@pg
def test_reversing_removes_everything_it_installed(ledger):
    run(LEDGER, backwards=True)
    assert sql(
        "SELECT count(*) FROM pg_proc WHERE proname IN (%s, %s)", [f"{TABLE}_append_only", PRUNE]
    ) == [(0,)]
    assert sql("SELECT to_regclass(%s)", [f"{TABLE}_retention_pass"]) == [(None,)]
    sql(f"UPDATE {TABLE} SET amount = 11")
    assert LedgerLine.objects.get().amount == 11
    with pytest.raises(ProgrammingError):
        sql(f"SELECT {PRUNE}(now())")
