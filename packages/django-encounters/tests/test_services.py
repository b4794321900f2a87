"""Services: the specified tests of create_encounter, transition, history and get_state_at."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_encounters import (
    Encounter,
    EncounterTransition,
    InvalidTransitionError,
    ValidationError,
    create_encounter,
    get_encounter_history,
    get_state_at,
    transition,
)
from django_encounters.models.query import EncounterQuerySet

pytestmark = pytest.mark.django_db

REQUIRE_STARTED = {
    "path": "django_encounters.validators.RequiredFieldsValidator",
    "params": {"state_requirements": {"in_progress": ["started_at"]}},
}


def use_validators(definition, *entries):
    definition.validators = list(entries)
    definition.save()


# -- create_encounter ---------------------------------------------------------------------------


def test_create_encounter_basic(definition, patient):
    encounter = create_encounter(definition, patient)
    assert Encounter.objects.filter(pk=encounter.pk, definition=definition).exists()


def test_create_encounter_initial_state(definition, patient):
    assert create_encounter(definition, patient).state == "scheduled"


def test_create_encounter_with_subject(definition, asset):
    encounter = create_encounter(definition, asset)
    assert Encounter.objects.get(pk=encounter.pk).subject == asset


def test_create_encounter_with_users(definition, patient, user, other_user):
    encounter = create_encounter(definition, patient, created_by=user, assigned_to=other_user)
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.created_by, stored.assigned_to) == (user, other_user)


def test_create_encounter_with_schedule(definition, patient):
    when = timezone.now() + timedelta(days=1)
    encounter = create_encounter(definition, patient, scheduled_at=when)
    assert Encounter.objects.get(pk=encounter.pk).scheduled_at == when


def test_create_encounter_with_notes(definition, patient):
    encounter = create_encounter(definition, patient, notes="limping")
    assert Encounter.objects.get(pk=encounter.pk).notes == "limping"


def test_create_encounter_with_metadata(definition, patient):
    encounter = create_encounter(definition, patient, metadata={"channel": "phone"})
    assert Encounter.objects.get(pk=encounter.pk).metadata == {"channel": "phone"}


def test_create_encounter_returns_encounter(definition, patient):
    encounter = create_encounter(definition, patient)
    assert isinstance(encounter, Encounter)
    assert not encounter._state.adding


# -- transition ---------------------------------------------------------------------------------


def test_transition_changes_state(encounter):
    transition(encounter, "checked_in")
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"
    assert encounter.state == "checked_in"  # the caller's instance follows


def test_transition_creates_log(encounter):
    transition(encounter, "checked_in")
    rows = encounter.transitions.order_by("transitioned_at").values_list("from_state", "to_state")
    assert list(rows) == [("", "scheduled"), ("scheduled", "checked_in")]


def test_transition_invalid_raises(encounter):
    with pytest.raises(InvalidTransitionError) as info:
        transition(encounter, "completed")
    assert (info.value.from_state, info.value.to_state) == ("scheduled", "completed")
    assert "Allowed transitions: ['checked_in', 'cancelled']" in str(info.value)
    assert encounter.transitions.count() == 1
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_transition_with_reason(encounter):
    record = transition(encounter, "cancelled", reason="owner called")
    assert EncounterTransition.objects.get(pk=record.pk).reason == "owner called"


def test_transition_with_user(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    assert EncounterTransition.objects.get(pk=record.pk).transitioned_by == user


def test_transition_with_effective_at(definition, patient):
    began = timezone.now() - timedelta(hours=3)
    encounter = create_encounter(definition, patient, effective_at=began)
    arrived = began + timedelta(hours=1)
    record = transition(encounter, "checked_in", effective_at=arrived)
    assert EncounterTransition.objects.get(pk=record.pk).effective_at == arrived
    assert record.transitioned_at > arrived
    assert get_state_at(encounter, arrived + timedelta(minutes=1)) == "checked_in"
    assert get_state_at(encounter, arrived - timedelta(minutes=1)) == "scheduled"


def test_transition_runs_validators(definition, encounter):
    use_validators(definition, REQUIRE_STARTED)
    transition(encounter, "checked_in")
    with pytest.raises(ValidationError, match="started_at"):
        transition(encounter, "in_progress")
    encounter.started_at = timezone.now()
    encounter.save()
    transition(encounter, "in_progress")
    assert Encounter.objects.get(pk=encounter.pk).state == "in_progress"


def test_transition_skip_validation(definition, encounter):
    use_validators(definition, REQUIRE_STARTED)
    transition(encounter, "checked_in")
    transition(encounter, "in_progress", skip_validation=True)
    assert Encounter.objects.get(pk=encounter.pk).state == "in_progress"


def test_transition_atomic(encounter):
    """The state is written first, then the log row; when the log row is refused by the
    database, the state written before it (or in the same statement) is rolled back."""

    def refuse_log_row(execute, sql, params, many, context):
        if "INSERT INTO" in sql and "encountertransition" in sql:
            raise DatabaseError("database went away")
        return execute(sql, params, many, context)

    with (
        CaptureQueriesContext(connection) as queries,
        connection.execute_wrapper(refuse_log_row),
        pytest.raises(DatabaseError),
    ):
        transition(encounter, "checked_in")
    assert any("UPDATE" in q["sql"] for q in queries.captured_queries)  # the state was sent
    assert encounter.transitions.count() == 1
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.state, stored.latest_transition_id) == (
        "scheduled",
        encounter.transitions.get().pk,
    )


def test_transition_locks_encounter(encounter):
    original = EncounterQuerySet.select_for_update
    with (
        mock.patch.object(
            EncounterQuerySet, "select_for_update", autospec=True, side_effect=original
        ) as spy,
        CaptureQueriesContext(connection) as queries,
    ):
        transition(encounter, "checked_in")
    if not connection.features.has_select_for_update:  # SQLite: asked for, though it has none
        assert spy.call_count == 1
        return
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert "django_encounters_encounter" in locking[0]
    if connection.vendor == "postgresql":  # the definition in the same statement, key-shared
        assert "FOR KEY SHARE OF d" in locking[0]


def test_transition_to_final_sets_ended_at(definition, patient):
    encounter = create_encounter(definition, patient)
    before = timezone.now()
    transition(encounter, "cancelled")
    ended_at = Encounter.objects.get(pk=encounter.pk).ended_at
    assert ended_at is not None
    assert ended_at >= before
    assert encounter.ended_at == ended_at


def test_transition_multiple_sequential(encounter):
    for state in ("checked_in", "in_progress", "completed"):
        transition(encounter, state)
    assert Encounter.objects.get(pk=encounter.pk).state == "completed"
    assert encounter.transitions.count() == 4


def test_transition_returns_log(encounter):
    record = transition(encounter, "checked_in")
    assert isinstance(record, EncounterTransition)
    assert (record.encounter_id, record.from_state, record.to_state) == (
        encounter.pk,
        "scheduled",
        "checked_in",
    )


def test_transition_context_to_metadata(encounter):
    record = transition(encounter, "checked_in", context={"desk": 4, "via": "kiosk"})
    assert EncounterTransition.objects.get(pk=record.pk).metadata == {"desk": 4, "via": "kiosk"}


def test_transition_from_initial(encounter):
    record = transition(encounter, "cancelled")
    assert record.from_state == encounter.definition.initial_state


def test_transition_validator_error(definition, encounter):
    use_validators(definition, "django_encounters.validators.FinalStateValidator", REQUIRE_STARTED)
    transition(encounter, "checked_in")
    with pytest.raises(ValidationError) as info:
        transition(encounter, "in_progress")
    assert info.value.validator == "RequiredFieldsValidator"
    assert encounter.transitions.count() == 2
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"


# -- get_encounter_history ----------------------------------------------------------------------


def test_history_empty_for_new(encounter):
    """No transitions yet: the history holds moves only (the creation record is kept apart)."""
    assert get_encounter_history(encounter) == []
    creation = get_encounter_history(encounter, include_creation=True)
    assert [(row.from_state, row.to_state) for row in creation] == [("", "scheduled")]


def test_history_ordered_by_time(encounter):
    transition(encounter, "checked_in")
    transition(encounter, "in_progress")
    transition(encounter, "completed")
    history = get_encounter_history(encounter)
    times = [row.transitioned_at for row in history]
    assert times == sorted(times)
    assert len(set(times)) == 3
    assert [row.to_state for row in history] == ["checked_in", "in_progress", "completed"]


def test_history_includes_all(encounter, definition, patient):
    other = create_encounter(definition, patient)
    transition(other, "cancelled")
    transition(encounter, "checked_in")
    transition(encounter, "cancelled")
    history = get_encounter_history(encounter)
    assert [(row.from_state, row.to_state) for row in history] == [
        ("scheduled", "checked_in"),
        ("checked_in", "cancelled"),
    ]
    assert {row.encounter_id for row in history} == {encounter.pk}


def test_history_returns_list(encounter):
    assert isinstance(get_encounter_history(encounter), list)
    transition(encounter, "checked_in")
    history = get_encounter_history(encounter)
    assert isinstance(history, list)
    assert all(isinstance(row, EncounterTransition) for row in history)


# -- get_state_at -------------------------------------------------------------------------------


@pytest.fixture
def timeline(definition, patient):
    """Created 3h ago, checked in 2h ago, in progress 1h ago."""
    now = timezone.now()
    encounter = create_encounter(definition, patient, effective_at=now - timedelta(hours=3))
    transition(encounter, "checked_in", effective_at=now - timedelta(hours=2))
    transition(encounter, "in_progress", effective_at=now - timedelta(hours=1))
    return encounter, now


def test_state_at_before_first(timeline):
    encounter, now = timeline
    initial = encounter.definition.initial_state
    assert get_state_at(encounter, now - timedelta(hours=2, minutes=30)) == initial
    assert get_state_at(encounter, now - timedelta(days=1)) == initial  # before it began too


def test_state_at_after_transition(timeline):
    encounter, now = timeline
    assert get_state_at(encounter, now - timedelta(hours=2)) == "checked_in"


def test_state_at_between_transitions(timeline):
    encounter, now = timeline
    assert get_state_at(encounter, now - timedelta(hours=1, minutes=30)) == "checked_in"


def test_state_at_current(timeline):
    encounter, _created = timeline
    assert get_state_at(encounter, timezone.now()) == "in_progress"
