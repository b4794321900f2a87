"""Bad input to the public API gets the package's error, and the database is left as it was.

One row per (call, bad value): None, the wrong type, an unsaved object, an out-of-range number,
an over-long string, a naive datetime.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from django_encounters import (
    Encounter,
    EncounterDefinition,
    EncounterError,
    EncounterTransition,
    create_encounter,
    get_allowed_transitions,
    get_encounter_history,
    get_state_at,
    transition,
)
from tests.conftest import VISIT
from tests.testapp.models import Asset, Patient

pytestmark = pytest.mark.django_db

NAIVE = datetime(2030, 1, 1, 12, 0)  # naive on purpose
LONG = "x" * 10_000


def far_future():
    return timezone.now() + timedelta(days=30)


def definition_with(**changes):
    return EncounterDefinition.objects.create(**{**VISIT, **changes})


def encounter_with(s, **changes):
    return Encounter.objects.create(**{"definition": s.definition, "subject": s.patient, **changes})


CASES = {
    # create_encounter
    "create: definition None": lambda s: create_encounter(None, s.patient),
    "create: definition of the wrong type": lambda s: create_encounter(42, s.patient),
    "create: unsaved definition": lambda s: create_encounter(
        EncounterDefinition(**VISIT), s.patient
    ),
    "create: over-long code": lambda s: create_encounter(LONG, s.patient),
    "create: subject None": lambda s: create_encounter(s.definition, None),
    "create: subject of the wrong type": lambda s: create_encounter(s.definition, "Rex"),
    "create: unsaved subject (integer key)": lambda s: create_encounter(
        s.definition, Patient(name="unsaved")
    ),
    "create: unsaved subject (UUID key set)": lambda s: create_encounter(
        s.definition, Asset(label="unsaved")
    ),
    "create: created_by of the wrong type": lambda s: create_encounter(
        s.definition, s.patient, created_by=s.patient
    ),
    "create: unsaved created_by": lambda s: create_encounter(
        s.definition, s.patient, created_by=get_user_model()(username="ghost")
    ),
    "create: assigned_to of the wrong type": lambda s: create_encounter(
        s.definition, s.patient, assigned_to="nurse"
    ),
    "create: naive scheduled_at": lambda s: create_encounter(
        s.definition, s.patient, scheduled_at=NAIVE
    ),
    "create: scheduled_at of the wrong type": lambda s: create_encounter(
        s.definition, s.patient, scheduled_at="tomorrow"
    ),
    "create: notes None": lambda s: create_encounter(s.definition, s.patient, notes=None),
    "create: metadata of the wrong type": lambda s: create_encounter(
        s.definition, s.patient, metadata=["a"]
    ),
    "create: metadata with an out-of-range number": lambda s: create_encounter(
        s.definition, s.patient, metadata={"weight": float("inf")}
    ),
    "create: naive effective_at": lambda s: create_encounter(
        s.definition, s.patient, effective_at=NAIVE
    ),
    "create: effective_at far in the future": lambda s: create_encounter(
        s.definition, s.patient, effective_at=far_future()
    ),
    # transition
    "transition: encounter None": lambda s: transition(None, "checked_in"),
    "transition: encounter of the wrong type": lambda s: transition(s.patient, "checked_in"),
    "transition: unsaved encounter": lambda s: transition(
        Encounter(definition=s.definition, subject=s.patient), "checked_in"
    ),
    "transition: to_state None": lambda s: transition(s.encounter, None),
    "transition: to_state of the wrong type": lambda s: transition(s.encounter, ["checked_in"]),
    "transition: over-long to_state": lambda s: transition(s.encounter, LONG),
    "transition: undeclared to_state": lambda s: transition(s.encounter, "teleported"),
    "transition: transitioned_by of the wrong type": lambda s: transition(
        s.encounter, "checked_in", transitioned_by=s.patient
    ),
    "transition: unsaved transitioned_by": lambda s: transition(
        s.encounter, "checked_in", transitioned_by=get_user_model()(username="ghost")
    ),
    "transition: reason None": lambda s: transition(s.encounter, "checked_in", reason=None),
    "transition: context of the wrong type": lambda s: transition(
        s.encounter, "checked_in", context=["a"]
    ),
    "transition: context with an out-of-range number": lambda s: transition(
        s.encounter, "checked_in", context={"temperature": float("nan")}
    ),
    "transition: naive effective_at": lambda s: transition(
        s.encounter, "checked_in", effective_at=NAIVE
    ),
    "transition: effective_at of the wrong type": lambda s: transition(
        s.encounter, "checked_in", effective_at="now"
    ),
    "transition: effective_at far in the future": lambda s: transition(
        s.encounter, "checked_in", effective_at=far_future()
    ),
    "transition: skip_validation of the wrong type": lambda s: transition(
        s.encounter, "checked_in", skip_validation="no"
    ),
    # queries
    "history: encounter None": lambda s: get_encounter_history(None),
    "history: encounter of the wrong type": lambda s: get_encounter_history(s.patient),
    "history: unsaved encounter": lambda s: get_encounter_history(
        Encounter(definition=s.definition, subject=s.patient)
    ),
    "state_at: timestamp None": lambda s: get_state_at(s.encounter, None),
    "state_at: naive timestamp": lambda s: get_state_at(s.encounter, NAIVE),
    "state_at: timestamp of the wrong type": lambda s: get_state_at(s.encounter, "yesterday"),
    "state_at: encounter None": lambda s: get_state_at(None, timezone.now()),
    "allowed: encounter None": lambda s: get_allowed_transitions(None),
    # EncounterDefinition
    "definition: states=[['a']]": lambda s: definition_with(
        code="A", name="A", states=[["a"]], initial_state="a", final_states=[], transitions={}
    ),
    "definition: states None": lambda s: definition_with(code="A", name="A", states=None),
    "definition: initial_state of the wrong type": lambda s: definition_with(
        code="A", name="A", initial_state=["scheduled"]
    ),
    "definition: final_states of the wrong type": lambda s: definition_with(
        code="A", name="A", final_states="completed"
    ),
    "definition: transitions of the wrong type": lambda s: definition_with(
        code="A", name="A", transitions=[["scheduled", "checked_in"]]
    ),
    "definition: validators of the wrong type": lambda s: definition_with(
        code="A", name="A", validators="django_encounters.validators.FinalStateValidator"
    ),
    "definition: name None": lambda s: definition_with(code="A", name=None),
    "definition: over-long name": lambda s: definition_with(code="A", name=LONG),
    "definition: code of the wrong type": lambda s: definition_with(code=7, name="A"),
    "definition: over-long code": lambda s: definition_with(code=LONG, name="A"),
    "definition: metadata of the wrong type": lambda s: definition_with(
        code="A", name="A", metadata="x"
    ),
    "definition: duplicate code": lambda s: definition_with(name="Another name"),
    "definition: duplicate name": lambda s: definition_with(code="OTHER"),
    "definition: duplicate code in bulk_create": lambda s: EncounterDefinition.objects.bulk_create(
        [EncounterDefinition(**{**VISIT, "name": "Another name"})]
    ),
    "definition: one code twice in one bulk_create": lambda s: (
        EncounterDefinition.objects.bulk_create(
            [EncounterDefinition(**{**VISIT, "code": "X", "name": name}) for name in ("a", "b")]
        )
    ),
    # Encounter through the ORM
    "encounter: definition None": lambda s: encounter_with(s, definition=None),
    "encounter: definition of the wrong type": lambda s: encounter_with(s, definition=s.patient),
    "encounter: unsaved definition": lambda s: encounter_with(
        s, definition=EncounterDefinition(**VISIT)
    ),
    "encounter: unsaved subject": lambda s: encounter_with(s, subject=Asset(label="unsaved")),
    "encounter: over-long state": lambda s: encounter_with(s, state=LONG),
    "encounter: naive scheduled_at": lambda s: encounter_with(s, scheduled_at=NAIVE),
    "encounter: unsaved assigned_to": lambda s: encounter_with(
        s, assigned_to=get_user_model()(username="ghost")
    ),
    "encounter: metadata of the wrong type": lambda s: encounter_with(s, metadata=[1]),
    "encounter save: naive started_at": lambda s: (
        setattr(s.encounter, "started_at", NAIVE) or s.encounter.save()
    ),
    "encounter save: notes None": lambda s: (
        setattr(s.encounter, "notes", None) or s.encounter.save()
    ),
}


def snapshot():
    """Everything a failed call could have written."""
    return (
        sorted(EncounterDefinition.all_objects.values_list("pk", "name", "code", "updated_at")),
        sorted(
            Encounter.all_objects.values_list(
                "pk", "state", "notes", "started_at", "scheduled_at", "updated_at"
            )
        ),
        sorted(EncounterTransition.objects.values_list("pk", flat=True)),
        get_user_model().objects.count(),
    )


@pytest.fixture
def state(definition, patient, encounter):
    return SimpleNamespace(definition=definition, patient=patient, encounter=encounter)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_raises_the_package_error_and_writes_nothing(state, case):
    before = snapshot()
    with pytest.raises(EncounterError) as info:
        CASES[case](state)
    assert str(info.value)  # a message, naming the value and what was expected
    assert snapshot() == before


def test_the_error_names_the_value_and_what_was_expected(state):
    with pytest.raises(EncounterError, match=r"effective_at=datetime.* expected a timezone-aware"):
        transition(state.encounter, "checked_in", effective_at=NAIVE)
    with pytest.raises(EncounterError, match=r"to_state='xxxx.*10000 characters.*at most 50"):
        transition(state.encounter, LONG)
    with pytest.raises(EncounterError, match=r"subject=<Patient: None> .* a saved model instance"):
        create_encounter(state.definition, Patient(name="unsaved"))
