"""Attacks on the append-only transition table, on PostgreSQL (elsewhere the Python guards of
test_append_only.py stand alone)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from django_basemodels.flush_route import FLUSH_SWITCH
from django_encounters import EncounterTransition, transition

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = EncounterTransition._meta.db_table
REFUSED = "refused: encounter transitions are append-only"


def sql(statement, params=()):
    """One statement in a savepoint: a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def record(encounter):
    made = transition(encounter, "checked_in", reason="arrived")
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE must meet the trigger, not pending FK checks
    return made


@pytest.fixture
def production_database():
    """This test database without its test-database mark (rolled back with the test)."""
    (name,) = sql("SELECT current_database()")[0]
    sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS 'production'")


def assert_untouched(record):
    assert EncounterTransition.objects.filter(encounter=record.encounter).count() == 2
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET reason = 'forged'", "UPDATE"),
        (f"UPDATE {TABLE} SET to_state = (SELECT 'completed')", "UPDATE"),
        (f"UPDATE {TABLE} SET transitioned_by_id = NULL, reason = 'forged'", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"TRUNCATE {TABLE}", "TRUNCATE"),
        (f"TRUNCATE {TABLE} CASCADE", "TRUNCATE"),
    ],
)
def test_raw_sql_is_refused(record, statement, operation):
    with pytest.raises(IntegrityError, match=f"{operation} on {TABLE} {REFUSED}"):
        sql(statement)
    assert_untouched(record)


@pytest.mark.parametrize("statement", [f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"])
def test_the_flush_switch_opens_nothing_outside_a_test_database(
    production_database, record, statement
):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match=REFUSED):
        sql(statement)
    assert_untouched(record)


def test_the_flush_switch_opens_no_delete_even_in_a_test_database(record):
    sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
    with pytest.raises(IntegrityError, match=f"DELETE on {TABLE} {REFUSED}"):
        sql(f"DELETE FROM {TABLE}")
    assert_untouched(record)


def test_set_null_alone_still_passes(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    sql(f"UPDATE {TABLE} SET transitioned_by_id = NULL WHERE id = %s", [record.pk])
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert (stored.transitioned_by_id, stored.to_state) == (None, "checked_in")


def triggers():
    rows = sql(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
        "ORDER BY tgname",
        [TABLE],
    )
    return [name for (name,) in rows]


def test_the_migration_is_reversible():
    executor = MigrationExecutor(connection)
    (latest,) = executor.loader.graph.leaf_nodes("django_encounters")
    executor.migrate([("django_encounters", "0003_transitions_written_by_services")])
    before = set(triggers())
    assert "django_encounters_transition_append_only" in before
    assert f"{TABLE}_no_truncate" not in before
    executor = MigrationExecutor(connection)
    executor.migrate([latest])
    after = set(triggers())
    assert {f"{TABLE}_append_only", f"{TABLE}_no_truncate"} <= after
    assert "django_encounters_transition_append_only" not in after
