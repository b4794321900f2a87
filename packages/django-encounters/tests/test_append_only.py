"""EncounterTransition is append-only on every ORM path, and by trigger on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from django_encounters import (
    Encounter,
    EncounterTransition,
    ImmutableHistoryError,
    transition,
)

pytestmark = pytest.mark.django_db

TABLE = EncounterTransition._meta.db_table


@pytest.fixture
def record(encounter):
    return transition(encounter, "checked_in", reason="arrived")


def test_save_of_an_existing_row_is_refused(record):
    record.reason = "rewritten"
    with pytest.raises(ImmutableHistoryError, match="immutable"):
        record.save()
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


def test_delete_is_refused(record):
    with pytest.raises(ImmutableHistoryError):
        record.delete()
    assert EncounterTransition.objects.filter(pk=record.pk).exists()


def test_queryset_update_is_refused(record):
    with pytest.raises(ImmutableHistoryError, match="update"):
        EncounterTransition.objects.filter(pk=record.pk).update(reason="x")
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


def test_queryset_delete_is_refused(record):
    with pytest.raises(ImmutableHistoryError, match="delete"):
        EncounterTransition.objects.all().delete()
    assert EncounterTransition.objects.count() == 2


def test_bulk_update_is_refused(record):
    record.reason = "x"
    with pytest.raises(ImmutableHistoryError, match="bulk_update"):
        EncounterTransition.objects.bulk_update([record], ["reason"])
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


def test_encounter_hard_delete_is_refused_because_history_is_kept(encounter, record):
    with pytest.raises(ImmutableHistoryError, match="hard delete is refused"):
        encounter.hard_delete()
    with pytest.raises(ImmutableHistoryError):
        Encounter.all_objects.filter(pk=encounter.pk).hard_delete()
    assert EncounterTransition.objects.filter(encounter=encounter).count() == 2


def test_deleting_a_user_keeps_their_transitions(encounter, user):
    """Django's SET NULL is the one UPDATE the PostgreSQL trigger lets through."""
    record = transition(encounter, "checked_in", transitioned_by=user)
    user.delete()
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert stored.transitioned_by is None
    assert (stored.from_state, stored.to_state) == ("scheduled", "checked_in")


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET reason = 'forged' WHERE id = %s",
        f"UPDATE {TABLE} SET transitioned_by_id = NULL, reason = 'forged' WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(record, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [record.pk])
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


@pytest.mark.postgresql
def test_postgresql_trigger_is_installed_by_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "ORDER BY tgname",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    assert set(names) == {
        f"{TABLE}_append_only",  # UPDATE, DELETE
        f"{TABLE}_no_truncate",  # TRUNCATE
        "django_encounters_transition_written_by_package",  # INSERT (tests/test_attacks.py)
    }
