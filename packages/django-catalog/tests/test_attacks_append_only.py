"""Attacks on the append-only dispense log, on PostgreSQL (elsewhere the Python guards of
test_models_work.py stand alone)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from django_basemodels.flush_route import FLUSH_SWITCH
from django_catalog.models import DispenseLog, WorkItem
from django_catalog.services import commit_basket, dispense

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = DispenseLog._meta.db_table
REFUSED = "refused: dispense log entries are append-only"


def sql(statement, params=()):
    """One statement in a savepoint: a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def entry(filled_basket, user):
    work_items = commit_basket(filled_basket, user)
    medication = next(item for item in work_items if item.quantity == 3)
    made = dispense(medication, user)
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE must meet the trigger, not pending FK checks
    return made


@pytest.fixture
def production_database():
    """This test database without its test-database mark (rolled back with the test)."""
    (name,) = sql("SELECT current_database()")[0]
    sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS 'production'")


def assert_untouched(entry):
    assert list(DispenseLog.objects.values_list("pk", "quantity")) == [(entry.pk, 1)]


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET quantity = 3", "UPDATE"),
        (f"UPDATE {TABLE} SET quantity = (SELECT 3)", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"TRUNCATE {TABLE}", "TRUNCATE"),
        (f"TRUNCATE {TABLE} CASCADE", "TRUNCATE"),
        (f"TRUNCATE {WorkItem._meta.db_table} CASCADE", "TRUNCATE"),  # reached by cascade
    ],
)
def test_raw_sql_is_refused(entry, statement, operation):
    with pytest.raises(IntegrityError, match=f"{operation} on {TABLE} {REFUSED}"):
        sql(statement)
    assert_untouched(entry)


@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"])
def test_the_flush_switch_opens_nothing_outside_a_test_database(
    production_database, entry, statement
):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match=REFUSED):
        sql(statement)
    assert_untouched(entry)


def test_the_flush_switch_opens_no_delete_even_in_a_test_database(entry):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match=f"DELETE on {TABLE} {REFUSED}"):
        sql(f"DELETE FROM {TABLE}")
    assert_untouched(entry)


def triggers(table):
    rows = sql(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
        "ORDER BY tgname",
        [table],
    )
    return [name for (name,) in rows]


def test_the_migration_is_reversible_and_keeps_the_work_item_trigger():
    executor = MigrationExecutor(connection)
    (latest,) = executor.loader.graph.leaf_nodes("django_catalog")
    executor.migrate([("django_catalog", "0003_guards_against_every_write_path")])
    before = set(triggers(TABLE))
    assert "django_catalog_dispenselog_append_only" in before
    assert f"{TABLE}_no_truncate" not in before
    MigrationExecutor(connection).migrate([latest])
    after = set(triggers(TABLE))
    assert {f"{TABLE}_append_only", f"{TABLE}_no_truncate"} <= after
    assert "django_catalog_workitem_status_moves" in triggers(WorkItem._meta.db_table)
