"""Attacks on the append-only dispense log on PostgreSQL that only this package has: a TRUNCATE
reaching it through a cascade, and its migrations. Every write path on the log itself, on every
database: tests/test_contracts.py (primitives_testkit.append_only)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

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


def assert_untouched(entry):
    assert list(DispenseLog.objects.values_list("pk", "quantity")) == [(entry.pk, 1)]


def test_truncate_of_the_work_items_cannot_cascade_to_the_log(entry):
    """Every other write path on the log itself: tests/test_contracts.py."""
    with pytest.raises(IntegrityError, match=f"TRUNCATE on {TABLE} {REFUSED}"):
        sql(f"TRUNCATE {WorkItem._meta.db_table} CASCADE")
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
