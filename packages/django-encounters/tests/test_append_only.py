"""What keeps EncounterTransition rows beyond the rows themselves: the encounter that owns them,
the user who made them, the triggers the migrations install. Every write path on the rows (ORM
and raw SQL, every database): tests/test_contracts.py (primitives_testkit.append_only)."""

import pytest
from django.db import connection

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
