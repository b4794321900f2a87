"""The usage examples of the two reference documents, run as written.

Each example is kept below exactly as its document prints it (as a string, so that no formatter
rewrites it) and executed. Only what the examples take for granted is added around them: the
subject, the users and the request, the times, the validator class the roadmap names, and the
imports the specification's example leaves out (``timezone``, ``get_encounter_history``,
``get_state_at``).
"""

import sys
import types
from datetime import timedelta

import pytest
from django.utils import timezone

from django_encounters import (
    Encounter,
    EncounterDefinition,
    EncounterTransition,
    StateValidator,
    get_encounter_history,
    get_state_at,
)
from tests.testapp.models import Asset, Patient

pytestmark = pytest.mark.django_db

# 002_51aaeacaaadb9dcf.txt, "Usage Examples"
SPECIFICATION_EXAMPLE = """
from django_encounters import (
    EncounterDefinition, create_encounter, transition,
    RequiredFieldsValidator, NoBackwardsTransitionValidator
)

# Define an encounter type
visit_def = EncounterDefinition.objects.create(
    name='Patient Visit',
    code='VISIT',
    states=['scheduled', 'checked_in', 'in_progress', 'completed', 'cancelled'],
    initial_state='scheduled',
    final_states=['completed', 'cancelled'],
    transitions={
        'scheduled': ['checked_in', 'cancelled'],
        'checked_in': ['in_progress', 'cancelled'],
        'in_progress': ['completed', 'cancelled'],
    },
    validators=[
        'django_encounters.validators.FinalStateValidator',
        {
            'path': 'django_encounters.validators.RequiredFieldsValidator',
            'params': {
                'state_requirements': {
                    'completed': ['ended_at'],
                    'in_progress': ['started_at']
                }
            }
        }
    ]
)

# Create encounter
encounter = create_encounter(
    definition=visit_def,
    subject=patient,
    created_by=request.user,
    scheduled_at=appointment_time
)

# Transition through states
transition(encounter, 'checked_in', transitioned_by=receptionist)
encounter.started_at = timezone.now()
encounter.save()
transition(encounter, 'in_progress', transitioned_by=doctor)
encounter.ended_at = timezone.now()
encounter.save()
transition(encounter, 'completed', transitioned_by=doctor, reason='Visit concluded')

# Query history
history = get_encounter_history(encounter)
past_state = get_state_at(encounter, some_past_time)
"""

# 000_53a780364fe33cea.txt, "2.3 django-encounters"
ROADMAP_EXAMPLE = """
from django_encounters.models import EncounterDefinition, Encounter, EncounterTransition
from django_encounters.services import create_encounter, transition, get_allowed_transitions

# Define a reusable state machine
definition = EncounterDefinition.objects.create(
    key="repair_job",
    states=["pending", "active", "review", "completed"],
    transitions={"pending": ["active"], "active": ["review"], "review": ["completed"]},
    initial_state="pending",
    terminal_states=["completed"],
    validator_paths=["myapp.validators.ChecklistValidator"],
)

# Create encounter attached to ANY subject via GenericFK
encounter = create_encounter("repair_job", subject=my_asset, created_by=user)

# Transition with validation
result = transition(encounter, "active", by_user=user)
"""


class ChecklistValidator(StateValidator):
    """The roadmap's ``myapp.validators.ChecklistValidator``: a soft warning until the checklist
    in the context is complete."""

    def validate(self, encounter, from_state, to_state, context=None):
        if not (context or {}).get("checklist_complete"):
            return f"checklist not complete before '{to_state}'"
        return None


@pytest.fixture
def myapp(monkeypatch):
    """The host module the roadmap's definition names."""
    package = types.ModuleType("myapp")
    validators = types.ModuleType("myapp.validators")
    validators.ChecklistValidator = ChecklistValidator
    package.validators = validators
    monkeypatch.setitem(sys.modules, "myapp", package)
    monkeypatch.setitem(sys.modules, "myapp.validators", validators)


@pytest.fixture
def people(django_user_model):
    def user(name):
        return django_user_model.objects.create_user(username=name)  # no password: no hashing

    return user("front-desk"), user("receptionist"), user("doctor")


def test_the_specification_example_runs_as_written(people):
    front_desk, receptionist, doctor = people
    started = timezone.now()
    namespace = {
        "patient": Patient.objects.create(name="Rex"),
        "request": types.SimpleNamespace(user=front_desk),
        "appointment_time": started + timedelta(hours=1),
        "receptionist": receptionist,
        "doctor": doctor,
        "some_past_time": started - timedelta(minutes=1),
        "timezone": timezone,
        "get_encounter_history": get_encounter_history,
        "get_state_at": get_state_at,
    }

    exec(SPECIFICATION_EXAMPLE, namespace)

    encounter = Encounter.objects.get(pk=namespace["encounter"].pk)
    assert (encounter.state, encounter.created_by) == ("completed", front_desk)
    assert encounter.scheduled_at == namespace["appointment_time"]
    assert encounter.started_at is not None
    assert encounter.ended_at is not None
    history = namespace["history"]
    assert [(row.from_state, row.to_state, row.transitioned_by) for row in history] == [
        ("scheduled", "checked_in", receptionist),
        ("checked_in", "in_progress", doctor),
        ("in_progress", "completed", doctor),
    ]
    assert history[-1].reason == "Visit concluded"
    assert namespace["past_state"] == "scheduled"  # before the first move: the initial state
    assert get_state_at(encounter, timezone.now()) == "completed"


def test_the_roadmap_example_runs_as_written(myapp, people, django_user_model):
    user = people[0]
    namespace = {"my_asset": Asset.objects.create(label="Boiler 7"), "user": user}

    exec(ROADMAP_EXAMPLE, namespace)

    definition = EncounterDefinition.objects.get(code="repair_job")
    assert namespace["definition"] == definition
    assert definition.final_states == ["completed"]
    assert definition.validators == ["myapp.validators.ChecklistValidator"]
    assert definition.name == "repair_job"  # no name given: the key names it
    assert (definition.key, definition.terminal_states) == ("repair_job", ["completed"])
    result = namespace["result"]
    assert isinstance(result, EncounterTransition)
    assert (result.from_state, result.to_state, result.transitioned_by) == (
        "pending",
        "active",
        user,
    )
    assert result.warnings == ["checklist not complete before 'active'"]
    assert Encounter.objects.get(pk=namespace["encounter"].pk).state == "active"
    assert namespace["get_allowed_transitions"](namespace["encounter"]) == ["review"]


def test_the_roadmap_example_twice_gives_two_definitions(myapp, people):
    """A second definition written the roadmap's way (no name) is not a duplicate of the first."""
    exec(ROADMAP_EXAMPLE, {"my_asset": Asset.objects.create(label="a"), "user": people[0]})
    EncounterDefinition.objects.create(
        key="repair_job_2",
        states=["pending", "done"],
        transitions={"pending": ["done"]},
        initial_state="pending",
        terminal_states=["done"],
    )
    assert sorted(EncounterDefinition.objects.values_list("name", flat=True)) == [
        "repair_job",
        "repair_job_2",
    ]
