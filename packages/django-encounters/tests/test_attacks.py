"""Attacks on the promises of django-encounters, one test per attack.

Transitions are written by ``transition()`` and the creation of an encounter only; a future
``effective_at`` never locks an encounter; ``transition()`` never leaves a final state nor follows
an edge the validated graph does not have, whatever way the stored definition was written.
"""

import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from django_encounters import (
    Encounter,
    EncounterDefinition,
    EncounterError,
    EncounterTransition,
    InvalidTransitionError,
    create_encounter,
    get_encounter_history,
    get_state_at,
    transition,
)

pytestmark = pytest.mark.django_db

TRANSITIONS = EncounterTransition._meta.db_table
DEFINITIONS = EncounterDefinition._meta.db_table


def assert_log_agrees(encounter):
    """The encounter's state is the state the log says it is in now."""
    stored = Encounter.objects.get(pk=encounter.pk)
    assert get_state_at(stored, timezone.now()) == stored.state
    latest = EncounterTransition.objects.filter(encounter=stored).order_by("-effective_at").first()
    assert stored.latest_transition_id == latest.pk


# -- transitions come from the services only ----------------------------------------------------


def test_hand_made_transition_by_objects_create_is_refused(encounter):
    with pytest.raises(EncounterError, match="written by transition"):
        EncounterTransition.objects.create(
            encounter=encounter, from_state="scheduled", to_state="checked_in"
        )
    assert encounter.transitions.count() == 1
    assert_log_agrees(encounter)


def test_hand_made_transition_by_bulk_create_is_refused(encounter):
    forged = EncounterTransition(encounter=encounter, from_state="scheduled", to_state="completed")
    with pytest.raises(EncounterError, match="written by transition"):
        EncounterTransition.objects.bulk_create([forged])
    assert encounter.transitions.count() == 1


def test_hand_made_transition_through_the_base_manager_is_refused(encounter):
    forged = EncounterTransition(encounter=encounter, from_state="scheduled", to_state="completed")
    with pytest.raises(EncounterError, match="written by transition"):
        EncounterTransition._base_manager.bulk_create([forged])
    with pytest.raises(EncounterError, match="append-only"):
        EncounterTransition._base_manager.filter(encounter=encounter).update(to_state="completed")
    assert list(encounter.transitions.values_list("to_state", flat=True)) == ["scheduled"]


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("from_state", "to_state", "refusal"),
    [
        ("scheduled", "completed", "written by the package"),
        # A second creation record meets the unique index before the trigger (which runs after
        # the statement since migration 0005) gets to it.
        ("", "scheduled", "encounters_one_creation_record"),
        ("scheduled", "scheduled", "written by the package"),
    ],
)
def test_hand_made_transition_in_raw_sql_is_refused_on_postgresql(
    encounter, from_state, to_state, refusal
):
    """Even a row that repeats the current state is refused: its encounter does not name it."""
    sql = (
        f"INSERT INTO {TRANSITIONS} (id, encounter_id, from_state, to_state, transitioned_at, "
        "effective_at, reason, metadata) VALUES (gen_random_uuid(), %s, %s, %s, now(), now(), "
        "'', '{}')"
    )
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [encounter.pk, from_state, to_state])
    assert encounter.transitions.count() == 1
    assert_log_agrees(encounter)


def test_encounter_state_through_the_base_manager_is_refused(encounter):
    with pytest.raises(EncounterError, match="'state'"):
        Encounter._base_manager.filter(pk=encounter.pk).update(state="completed")
    with pytest.raises(EncounterError, match="'latest_transition_id'"):
        Encounter._base_manager.filter(pk=encounter.pk).update(latest_transition_id=None)
    assert_log_agrees(encounter)


# -- a future effective_at never locks an encounter ---------------------------------------------


def test_far_future_effective_at_is_refused_and_later_moves_still_work(encounter):
    with pytest.raises(EncounterError, match="clock-skew tolerance"):
        transition(encounter, "checked_in", effective_at=timezone.now() + timedelta(days=30))
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"
    transition(encounter, "checked_in")
    transition(encounter, "in_progress")
    assert_log_agrees(encounter)


def test_far_future_creation_is_refused(definition, patient):
    with pytest.raises(EncounterError, match="clock-skew tolerance"):
        create_encounter(definition, patient, effective_at=timezone.now() + timedelta(days=30))
    with pytest.raises(EncounterError, match="clock-skew tolerance"):
        Encounter.objects.create(
            definition=definition, subject=patient, created_at=timezone.now() + timedelta(days=30)
        )
    assert not Encounter.all_objects.exists()


def test_a_clock_a_little_ahead_does_not_hold_the_next_move(encounter):
    """Within the tolerance a future moment is accepted; the next move is not refused for it."""
    ahead = timezone.now() + timedelta(minutes=2)
    transition(encounter, "checked_in", effective_at=ahead)
    record = transition(encounter, "in_progress")
    assert record.effective_at >= ahead
    assert [row.to_state for row in get_encounter_history(encounter)] == [
        "checked_in",
        "in_progress",
    ]


# -- the graph transition() follows is a validated one -------------------------------------------


def test_graph_change_through_the_base_manager_is_refused(definition):
    reopened = {**definition.transitions, "completed": ["scheduled"]}
    with pytest.raises(EncounterError, match="cannot change"):
        EncounterDefinition._base_manager.filter(pk=definition.pk).update(transitions=reopened)
    with pytest.raises(EncounterError, match="cannot change"):
        EncounterDefinition.objects.filter(pk=definition.pk).update(terminal_states=[])
    assert EncounterDefinition.objects.get(pk=definition.pk).transitions == definition.transitions


def tamper(definition, **fields):
    """Change a definition's row in raw SQL, as nothing in the package can."""
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    assignments = ", ".join(f"{name} = %s{cast}" for name in fields)
    values = [json.dumps(value) for value in fields.values()]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DEFINITIONS} SET {assignments} WHERE id = %s",
            [*values, definition.pk.hex if connection.vendor == "sqlite" else definition.pk],
        )


def test_transition_never_leaves_a_final_state_whatever_the_stored_row_says(definition, encounter):
    transition(encounter, "cancelled")
    tamper(definition, transitions={**definition.transitions, "cancelled": ["scheduled"]})
    assert EncounterDefinition.objects.get(pk=definition.pk).transitions["cancelled"]
    with pytest.raises(InvalidTransitionError, match=r"invalid|final state"):
        transition(encounter, "scheduled")
    assert Encounter.objects.get(pk=encounter.pk).state == "cancelled"


def test_transition_never_leaves_a_state_that_was_made_final_behind_save(definition, encounter):
    tamper(definition, final_states=["completed", "cancelled", "scheduled"])
    with pytest.raises(InvalidTransitionError):
        transition(encounter, "checked_in")
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_transition_never_follows_an_edge_to_an_undeclared_state(definition, encounter):
    tamper(definition, transitions={**definition.transitions, "scheduled": ["limbo"]})
    with pytest.raises(InvalidTransitionError, match="'limbo'"):
        transition(encounter, "limbo")
    assert_log_agrees(encounter)
