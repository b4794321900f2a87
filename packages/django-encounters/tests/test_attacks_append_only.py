"""The append-only transition table on PostgreSQL: the one UPDATE its trigger lets through, and
its migrations. Every refused write path: tests/test_contracts.py
(primitives_testkit.append_only)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from django_encounters import EncounterTransition, transition

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = EncounterTransition._meta.db_table


def sql(statement, params=()):
    """One statement in a savepoint: a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


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
