"""Services: the specified tests of create_encounter, transition, history and get_state_at."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_encounters import (
    DefinitionNotFoundError,
    Encounter,
    EncounterDefinition,
    EncounterError,
    EncounterNotFoundError,
    EncounterTransition,
    InvalidTransitionError,
    ValidationError,
    ValidatorConfigurationError,
    create_encounter,
    get_allowed_transitions,
    get_encounter_history,
    get_state_at,
    transition,
)
from django_encounters.models.query import EncounterQuerySet
from tests.testapp.models import Patient

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
    boom = RuntimeError("database went away")
    with (
        mock.patch.object(EncounterQuerySet, "_write_state", side_effect=boom),
        pytest.raises(RuntimeError),
    ):
        transition(encounter, "checked_in")
    assert encounter.transitions.count() == 1  # the log row was rolled back with the update
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_transition_locks_encounter(encounter):
    original = EncounterQuerySet.select_for_update
    with (
        mock.patch.object(
            EncounterQuerySet, "select_for_update", autospec=True, side_effect=original
        ) as spy,
        CaptureQueriesContext(connection) as queries,
    ):
        transition(encounter, "checked_in")
    assert spy.call_count == 1
    if connection.features.has_select_for_update:
        locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
        assert len(locking) == 1
        assert "django_encounters_encounter" in locking[0]


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
    """A new encounter has made no transition yet: its history is only its creation record."""
    history = get_encounter_history(encounter)
    assert [(row.from_state, row.to_state) for row in history] == [("", "scheduled")]
    assert not [row for row in history if row.from_state]


def test_history_ordered_by_time(encounter):
    transition(encounter, "checked_in")
    transition(encounter, "in_progress")
    history = get_encounter_history(encounter)
    times = [row.transitioned_at for row in history]
    assert times == sorted(times)
    assert [row.to_state for row in history] == ["scheduled", "checked_in", "in_progress"]


def test_history_includes_all(encounter, definition, patient):
    other = create_encounter(definition, patient)
    transition(other, "cancelled")
    transition(encounter, "checked_in")
    transition(encounter, "cancelled")
    history = get_encounter_history(encounter)
    assert len(history) == 3
    assert {row.encounter_id for row in history} == {encounter.pk}


def test_history_returns_list(encounter):
    assert isinstance(get_encounter_history(encounter), list)


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
    assert get_state_at(encounter, now - timedelta(hours=2, minutes=30)) == "scheduled"


def test_state_at_after_transition(timeline):
    encounter, now = timeline
    assert get_state_at(encounter, now - timedelta(hours=2)) == "checked_in"


def test_state_at_between_transitions(timeline):
    encounter, now = timeline
    assert get_state_at(encounter, now - timedelta(hours=1, minutes=30)) == "checked_in"


def test_state_at_current(timeline):
    encounter, _created = timeline
    assert get_state_at(encounter, timezone.now()) == "in_progress"


# -- beyond the specification -------------------------------------------------------------------


def test_create_encounter_accepts_a_code(definition, patient):
    encounter = create_encounter("VISIT", patient)
    assert encounter.definition == definition


def test_create_encounter_unknown_code_is_not_found(definition, patient):
    with pytest.raises(DefinitionNotFoundError, match="'NOPE'") as info:
        create_encounter("NOPE", patient)
    assert isinstance(info.value, EncounterNotFoundError)
    assert info.value.code == "NOPE"
    assert not Encounter.objects.exists()


def test_create_encounter_needs_a_saved_subject(definition):
    with pytest.raises(EncounterError, match="not a saved model instance"):
        create_encounter(definition, Patient(name="unsaved"))


def test_soft_warnings_are_recorded_and_returned(definition, encounter):
    use_validators(
        definition,
        {"path": "tests.testapp.validators.ChecklistValidator", "params": {"required": ["a", "b"]}},
    )
    record = transition(encounter, "checked_in", context={"checklist": ["a"]})
    assert record.warnings == ["checklist item 'b' not ticked"]
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert stored.metadata == {
        "checklist": ["a"],
        "validator_warnings": [
            {
                "validator": "tests.testapp.validators.ChecklistValidator",
                "message": "checklist item 'b' not ticked",
            }
        ],
    }
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"


def test_hard_block_writes_nothing(definition, encounter):
    use_validators(definition, "tests.testapp.validators.ChecklistValidator")
    with pytest.raises(ValidationError, match="a checklist is required"):
        transition(encounter, "checked_in")
    assert encounter.transitions.count() == 1
    assert encounter.state == "scheduled"
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_a_validator_that_disappeared_names_its_path(definition, encounter):
    # As after a refactor removed the class: the stored definition names a missing validator.
    QuerySet.update(
        EncounterDefinition.objects.filter(pk=definition.pk), validators=["gone.Validator"]
    )
    with pytest.raises(ValidatorConfigurationError, match=r"'gone\.Validator'"):
        transition(encounter, "checked_in")
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_transition_out_of_a_final_state_is_invalid(encounter):
    transition(encounter, "cancelled")
    with pytest.raises(InvalidTransitionError, match="Allowed transitions: \\[\\]"):
        transition(encounter, "scheduled")


def test_transition_of_a_soft_deleted_encounter_is_not_found(encounter):
    encounter.delete()
    with pytest.raises(EncounterNotFoundError, match=str(encounter.pk)):
        transition(encounter, "checked_in")


def test_backdating_before_the_current_state_began_is_refused(definition, patient):
    encounter = create_encounter(definition, patient)
    with pytest.raises(InvalidTransitionError, match=r"is before .* expected a later moment"):
        transition(encounter, "checked_in", effective_at=timezone.now() - timedelta(hours=1))
    assert encounter.transitions.count() == 1


def test_context_that_json_cannot_hold_is_refused(encounter):
    with pytest.raises(EncounterError, match="cannot be stored as JSON"):
        transition(encounter, "checked_in", context={"who": object()})
    assert encounter.transitions.count() == 1


def test_get_allowed_transitions(encounter):
    assert get_allowed_transitions(encounter) == ["checked_in", "cancelled"]
    transition(encounter, "cancelled")
    assert get_allowed_transitions(encounter) == []


def test_state_at_before_creation_is_none(definition, patient):
    """The history starts with the creation record, so before it the encounter had no state."""
    encounter = create_encounter(definition, patient)
    assert get_state_at(encounter, encounter.created_at - timedelta(seconds=1)) is None
    assert get_state_at(encounter, encounter.created_at) == "scheduled"


def test_state_at_reports_the_state_created_in_not_todays_initial_state(definition, patient):
    encounter = create_encounter(definition, patient)
    definition.states.insert(0, "requested")
    definition.initial_state = "requested"
    definition.transitions["requested"] = ["scheduled"]
    definition.save()
    assert get_state_at(encounter, timezone.now()) == "scheduled"


def test_state_at_is_one_query(timeline, django_assert_num_queries):
    encounter, now = timeline
    with django_assert_num_queries(1):
        get_state_at(encounter, now - timedelta(minutes=90))


@pytest.mark.postgresql
def test_state_at_is_served_by_the_encounter_effective_at_index(timeline):
    encounter, now = timeline
    query = (
        EncounterTransition.objects.filter(encounter_id=encounter.pk, effective_at__lte=now)
        .order_by("-effective_at", "-transitioned_at")
        .values_list("to_state", flat=True)[:1]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "encounters_state_at_idx" in plan


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def data_statements(queries):
    """The captured SQL less transaction control (BEGIN/COMMIT, or a savepoint pair)."""
    return [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]


def assert_four_statements(encounter):
    with CaptureQueriesContext(connection) as queries:
        transition(encounter, "checked_in")
    statements = data_statements(queries)
    assert len(statements) <= 4, statements
    assert [sql.split()[0] for sql in statements] == ["SELECT", "SELECT", "INSERT", "UPDATE"]
    assert len(queries.captured_queries) - len(statements) == 2  # one BEGIN/COMMIT or savepoints


@pytest.mark.django_db(transaction=True)
def test_transition_costs_at_most_four_queries(definition, patient):
    """Lock, definition, insert, update: 4 statements, plus BEGIN and COMMIT."""
    encounter = create_encounter(definition, patient)
    assert_four_statements(encounter)
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"


def test_transition_costs_at_most_four_queries_inside_an_atomic_block(encounter):
    """Inside a caller's transaction the same 4 statements run, within one savepoint."""
    assert_four_statements(encounter)


@pytest.mark.parametrize("count", [3, 12])
def test_listing_states_costs_no_query_per_encounter(
    definition, patient, count, django_assert_num_queries
):
    for _ in range(count):
        transition(create_encounter(definition, patient), "checked_in")
    with django_assert_num_queries(1):
        rows = [
            (str(encounter), encounter.state, encounter.is_final, encounter.allowed_transitions)
            for encounter in Encounter.objects.select_related("definition")
        ]
    assert len(rows) == count
    assert {row[1] for row in rows} == {"checked_in"}
