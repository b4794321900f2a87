"""encounter_created and encounter_transitioned are sent inside the operation's transaction,
after its rows are written, as every package sends its signals: a receiver sees the rows, a
receiver that raises rolls the operation back, and a receiver's writes share the operation's
fate. ``transaction.on_commit()`` in a receiver defers its work to the commit."""

import pytest
from django.db import transaction

from django_encounters import (
    Encounter,
    EncounterTransition,
    InvalidTransitionError,
    create_encounter,
    encounter_created,
    encounter_transitioned,
    transition,
)
from tests.testapp.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def created(sender, encounter, **kwargs):
        calls.append(("created", sender, encounter.pk))

    def transitioned(sender, encounter, transition, from_state, to_state, **kwargs):
        calls.append(("transitioned", sender, from_state, to_state, transition.to_state))

    encounter_created.connect(created)
    encounter_transitioned.connect(transitioned)
    yield calls
    encounter_created.disconnect(created)
    encounter_transitioned.disconnect(transitioned)


@pytest.fixture
def connected():
    """``connected(signal, receiver)`` connects for the test only."""
    made = []

    def connect(signal, receiver):
        signal.connect(receiver)
        made.append((signal, receiver))

    yield connect
    for signal, receiver in made:
        signal.disconnect(receiver)


class Refused(Exception):
    pass


def refuse(**kwargs):
    raise Refused


def test_signals_are_sent_before_the_commit_with_nothing_left_for_it(
    definition, patient, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        encounter = create_encounter(definition, patient)
        transition(encounter, "checked_in")
        assert received == [
            ("created", Encounter, encounter.pk),
            ("transitioned", Encounter, "scheduled", "checked_in", "checked_in"),
        ]
    assert callbacks == []


def test_receivers_see_the_rows_as_written(definition, patient, connected):
    seen = []

    def on_created(encounter, **kwargs):
        seen.append(("created", EncounterTransition.objects.filter(encounter=encounter).count()))

    def on_transitioned(encounter, transition, **kwargs):
        stored = Encounter.objects.get(pk=encounter.pk)
        logged = EncounterTransition.objects.filter(pk=transition.pk).exists()
        seen.append(("transitioned", stored.state, stored.latest_transition_id, logged))
        assert stored.latest_transition_id == transition.pk

    connected(encounter_created, on_created)
    connected(encounter_transitioned, on_transitioned)
    encounter = create_encounter(definition, patient)
    record = transition(encounter, "checked_in")
    assert seen == [("created", 1), ("transitioned", "checked_in", record.pk, True)]


def test_a_receiver_that_raises_rolls_the_creation_back(definition, patient, connected):
    connected(encounter_created, refuse)
    with pytest.raises(Refused):
        create_encounter(definition, patient)
    assert not Encounter.all_objects.exists()
    assert not EncounterTransition.objects.exists()


def test_a_receiver_that_raises_rolls_a_bulk_creation_back(definition, patient, connected):
    connected(encounter_created, refuse)
    with pytest.raises(Refused):
        Encounter.objects.bulk_create(
            [Encounter(definition=definition, subject=patient) for _ in range(3)]
        )
    assert not Encounter.all_objects.exists()
    assert not EncounterTransition.objects.exists()


def test_a_receiver_that_raises_rolls_the_move_back(encounter, connected):
    connected(encounter_transitioned, refuse)
    with pytest.raises(Refused):
        transition(encounter, "checked_in")
    stored = Encounter.objects.get(pk=encounter.pk)
    assert stored.state == "scheduled"
    assert stored.latest_transition_id == encounter.latest_transition_id
    assert list(stored.transitions.values_list("to_state", flat=True)) == ["scheduled"]
    # The caller's instance stays as the database has it.
    assert encounter.state == "scheduled"
    # And the encounter can still move once the receiver lets it.
    encounter_transitioned.disconnect(refuse)
    transition(encounter, "checked_in")
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"


def test_a_receivers_writes_roll_back_with_the_callers_transaction(encounter, connected):
    def write_a_row(encounter, to_state, **kwargs):
        Patient.objects.create(name=f"moved to {to_state}")

    connected(encounter_transitioned, write_a_row)
    written = []

    def move_then_fail():
        with transaction.atomic():
            transition(encounter, "checked_in")
            written.append(Patient.objects.filter(name="moved to checked_in").exists())
            raise RuntimeError("the caller's transaction fails afterwards")

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert written == [True]
    assert not Patient.objects.filter(name="moved to checked_in").exists()
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_on_commit_in_a_receiver_waits_for_the_commit_and_skips_a_rollback(
    definition, patient, connected, django_capture_on_commit_callbacks
):
    committed = []

    def after_commit(encounter, to_state, **kwargs):
        transaction.on_commit(lambda: committed.append(to_state))

    connected(encounter_transitioned, after_commit)
    encounter = create_encounter(definition, patient)

    def move_then_fail():
        with transaction.atomic():
            transition(encounter, "cancelled")
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            move_then_fail()
        transition(encounter, "checked_in")
        assert committed == []  # not before the commit
    assert committed == ["checked_in"]


def test_no_signal_for_a_refused_transition(encounter, received):
    with pytest.raises(InvalidTransitionError):
        transition(encounter, "completed")
    assert received == []


def test_bulk_created_encounters_are_announced(definition, patient, received):
    created = Encounter.objects.bulk_create(
        [Encounter(definition=definition, subject=patient) for _ in range(3)]
    )
    assert received == [("created", Encounter, encounter.pk) for encounter in created]
