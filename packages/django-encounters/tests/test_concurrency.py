"""Races, with real threads on PostgreSQL (SQLite serialises writers and is skipped)."""

import pytest

from django_encounters import (
    DefinitionInUseError,
    Encounter,
    EncounterDefinition,
    EncounterTransition,
    InvalidTransitionError,
    create_encounter,
    transition,
)
from primitives_testkit import run_concurrently
from tests.testapp.models import Asset

THREADS = 16
TARGETS = [f"target_{i}" for i in range(THREADS)]


@pytest.fixture
def fan_out():
    """One initial state with sixteen ways out, each of them final."""
    return EncounterDefinition.objects.create(
        name="Fan out",
        code="FAN",
        states=["open", *TARGETS],
        initial_state="open",
        final_states=TARGETS,
        transitions={"open": TARGETS},
    )


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_leave_the_same_state_exactly_once(fan_out):
    encounter = create_encounter(fan_out, Asset.objects.create(label="contended"))

    def move(index):
        # Each thread holds its own (stale) copy that still says "open".
        return transition(Encounter.objects.get(pk=encounter.pk), TARGETS[index])

    run = run_concurrently(move, threads=THREADS)

    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    assert all(isinstance(error, InvalidTransitionError) for error in run.errors), run.errors
    assert {error.from_state for error in run.errors} == {run.results[0].to_state}
    out_of_open = EncounterTransition.objects.filter(encounter=encounter, from_state="open")
    assert out_of_open.count() == 1
    assert Encounter.objects.get(pk=encounter.pk).state == run.results[0].to_state


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_parallel_transitions_of_different_encounters_all_succeed(fan_out):
    encounters = [
        create_encounter(fan_out, Asset.objects.create(label=f"a{i}")) for i in range(THREADS)
    ]

    run = run_concurrently(lambda i: transition(encounters[i], TARGETS[i]), threads=THREADS)

    assert run.errors == []
    states = dict(Encounter.objects.values_list("pk", "state"))
    assert [states[e.pk] for e in encounters] == TARGETS


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_an_edit_removing_a_state_never_strands_encounters_racing_into_it():
    definition = EncounterDefinition.objects.create(
        name="Review flow",
        code="REVIEW",
        states=["active", "review", "done"],
        initial_state="active",
        final_states=["done"],
        transitions={"active": ["review", "done"], "review": ["done"]},
    )
    encounters = [
        create_encounter(definition, Asset.objects.create(label=f"r{i}")) for i in range(THREADS)
    ]

    def act(index):
        if index == 0:
            edited = EncounterDefinition.objects.get(pk=definition.pk)
            edited.states = ["active", "done"]
            edited.transitions = {"active": ["done"]}
            edited.save()
            return "edited"
        return transition(encounters[index], "review")

    run = run_concurrently(act, threads=THREADS)

    assert all(
        isinstance(error, (InvalidTransitionError, DefinitionInUseError)) for error in run.errors
    ), run.errors
    declared = set(EncounterDefinition.objects.get(pk=definition.pk).states)
    live_states = set(
        Encounter.objects.filter(definition=definition).values_list("state", flat=True)
    )
    assert live_states <= declared


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_an_edit_of_the_initial_state_never_strands_encounters_being_created():
    definition = EncounterDefinition.objects.create(
        name="Intake",
        code="INTAKE",
        states=["new", "open", "closed"],
        initial_state="new",
        final_states=["closed"],
        transitions={"new": ["open"], "open": ["closed"]},
    )
    subjects = [Asset.objects.create(label=f"c{i}") for i in range(THREADS)]

    def act(index):
        if index == 0:
            edited = EncounterDefinition.objects.get(pk=definition.pk)
            edited.states = ["open", "closed"]
            edited.initial_state = "open"
            edited.transitions = {"open": ["closed"]}
            edited.save()
            return "edited"
        # Each creator holds the definition as it was before the edit.
        return create_encounter(definition, subjects[index])

    run = run_concurrently(act, threads=THREADS)

    assert all(
        isinstance(error, (InvalidTransitionError, DefinitionInUseError)) for error in run.errors
    ), run.errors
    declared = set(EncounterDefinition.objects.get(pk=definition.pk).states)
    live_states = set(
        Encounter.objects.filter(definition=definition).values_list("state", flat=True)
    )
    assert live_states <= declared
