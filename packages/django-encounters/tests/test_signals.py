"""encounter_created and encounter_transitioned are sent after commit, never on rollback."""

import pytest
from django.db import transaction

from django_encounters import (
    Encounter,
    InvalidTransitionError,
    create_encounter,
    encounter_created,
    encounter_transitioned,
    transition,
)

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


def test_signals_wait_for_the_commit(
    definition, patient, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        encounter = create_encounter(definition, patient)
        transition(encounter, "checked_in")
        assert received == []  # nothing before the commit
    assert len(callbacks) == 2
    assert received == [
        ("created", Encounter, encounter.pk),
        ("transitioned", Encounter, "scheduled", "checked_in", "checked_in"),
    ]


def test_no_signal_for_a_rolled_back_transition(
    encounter, received, django_capture_on_commit_callbacks
):
    def move_then_fail():
        with transaction.atomic():
            transition(encounter, "checked_in")
            raise RuntimeError("the caller's transaction fails afterwards")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        move_then_fail()
    assert callbacks == []
    assert received == []


def test_no_signal_for_a_refused_transition(
    encounter, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidTransitionError),
    ):
        transition(encounter, "completed")
    assert callbacks == []
    assert received == []


def test_bulk_created_encounters_are_announced(
    definition, patient, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Encounter.objects.bulk_create(
            [Encounter(definition=definition, subject=patient) for _ in range(3)]
        )
    assert [call[0] for call in received] == ["created"] * 3
