"""The roadmap's spellings (key, terminal_states, validator_paths, by_user) beside the
specification's (code, final_states, validators, transitioned_by)."""

import pytest
from django.db.models import Q

from django_encounters import (
    AliasConflictError,
    EncounterDefinition,
    EncounterError,
    EncounterTransition,
    transition,
)

pytestmark = pytest.mark.django_db

ROADMAP_FIELDS = {
    "key": "repair_job",
    "states": ["pending", "active", "completed"],
    "transitions": {"pending": ["active"], "active": ["completed"]},
    "initial_state": "pending",
    "terminal_states": ["completed"],
    "validator_paths": ["django_encounters.validators.FinalStateValidator"],
}


@pytest.fixture
def repair_job():
    return EncounterDefinition.objects.create(**ROADMAP_FIELDS)


def test_roadmap_names_are_stored_in_the_specification_fields(repair_job):
    stored = EncounterDefinition.objects.get(pk=repair_job.pk)
    assert stored.code == "repair_job"
    assert stored.final_states == ["completed"]
    assert stored.validators == ["django_encounters.validators.FinalStateValidator"]


def test_model_keyword_arguments_accept_the_roadmap_names():
    definition = EncounterDefinition(**ROADMAP_FIELDS)
    assert (definition.code, definition.final_states) == ("repair_job", ["completed"])
    definition.save()
    assert EncounterDefinition.objects.filter(code="repair_job").exists()


def test_instances_read_and_write_the_roadmap_names(repair_job):
    assert repair_job.key == "repair_job"
    assert repair_job.terminal_states == ["completed"]
    assert repair_job.validator_paths == ["django_encounters.validators.FinalStateValidator"]
    repair_job.key = "repairs"
    repair_job.validator_paths = []
    repair_job.save()
    stored = EncounterDefinition.objects.get(pk=repair_job.pk)
    assert (stored.code, stored.validators) == ("repairs", [])
    stored.terminal_states = ["active", "completed"]
    stored.transitions = {"pending": ["active", "completed"]}
    stored.save()
    assert EncounterDefinition.objects.get(pk=repair_job.pk).final_states == ["active", "completed"]


def test_filters_accept_the_roadmap_names(repair_job):
    assert EncounterDefinition.objects.get(key="repair_job") == repair_job
    assert list(EncounterDefinition.objects.filter(key__in=["repair_job", "x"])) == [repair_job]
    assert list(EncounterDefinition.objects.filter(Q(key="x") | Q(key="repair_job"))) == [
        repair_job
    ]
    assert not EncounterDefinition.objects.exclude(key="repair_job").exists()
    assert EncounterDefinition.objects.filter(~Q(key="x"), key__startswith="repair").count() == 1


def test_get_or_create_and_update_accept_the_roadmap_names(repair_job):
    found, created = EncounterDefinition.objects.get_or_create(
        key="repair_job", defaults={"states": ["x"], "initial_state": "x"}
    )
    assert (found, created) == (repair_job, False)
    fields = {k: v for k, v in ROADMAP_FIELDS.items() if k != "key"}
    made, created = EncounterDefinition.objects.get_or_create(key="inspection", defaults=fields)
    assert created
    assert made.code == "inspection"
    assert EncounterDefinition.objects.filter(key="inspection").update(key="inspections") == 1
    assert EncounterDefinition.objects.filter(code="inspections").exists()


def test_by_user_is_transitioned_by(repair_job, patient, user):
    from django_encounters import create_encounter

    encounter = create_encounter("repair_job", subject=patient)
    record = transition(encounter, "active", by_user=user)
    assert EncounterTransition.objects.get(pk=record.pk).transitioned_by == user
    assert list(EncounterTransition.objects.filter(by_user=user)) == [record]
    assert EncounterTransition.objects.exclude(by_user=user).count() == 1  # the creation record


@pytest.mark.parametrize(
    ("call", "alias", "canonical"),
    [
        (lambda: EncounterDefinition(key="a", code="b"), "key", "code"),
        (
            lambda: EncounterDefinition.objects.create(
                **{**ROADMAP_FIELDS, "final_states": ["completed"]}
            ),
            "terminal_states",
            "final_states",
        ),
        (
            lambda: EncounterDefinition(validator_paths=[], validators=[]),
            "validator_paths",
            "validators",
        ),
        (lambda: EncounterDefinition.objects.filter(code="a", key="a"), "key", "code"),
        (lambda: EncounterDefinition.objects.exclude(key="a", code="a"), "key", "code"),
        (lambda: EncounterDefinition.objects.update(key="a", code="b"), "key", "code"),
        (
            lambda: EncounterTransition.objects.filter(by_user=None, transitioned_by=None),
            "by_user",
            "transitioned_by",
        ),
    ],
)
def test_both_spellings_of_one_thing_are_refused(call, alias, canonical):
    with pytest.raises(AliasConflictError) as info:
        call()
    assert isinstance(info.value, EncounterError)
    assert (info.value.alias, info.value.canonical) == (alias, canonical)
    assert f"both {canonical!r} and {alias!r}" in str(info.value)
    assert not EncounterDefinition.all_objects.exists()


def test_transition_refuses_both_user_spellings(encounter, user, other_user):
    with pytest.raises(AliasConflictError, match="'transitioned_by' and 'by_user'"):
        transition(encounter, "checked_in", transitioned_by=user, by_user=other_user)
    assert encounter.transitions.count() == 1
