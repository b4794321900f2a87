import pytest

from django_encounters import EncounterDefinition, create_encounter
from tests.testapp.models import Asset, Patient

VISIT = {
    "name": "Patient Visit",
    "code": "VISIT",
    "states": ["scheduled", "checked_in", "in_progress", "completed", "cancelled"],
    "initial_state": "scheduled",
    "final_states": ["completed", "cancelled"],
    "transitions": {
        "scheduled": ["checked_in", "cancelled"],
        "checked_in": ["in_progress", "cancelled"],
        "in_progress": ["completed", "cancelled"],
    },
}


@pytest.fixture
def visit_fields():
    """Keyword arguments of a valid definition (a fresh copy per test)."""
    import copy

    return copy.deepcopy(VISIT)


@pytest.fixture
def definition(db, visit_fields):
    return EncounterDefinition.objects.create(**visit_fields)


@pytest.fixture
def patient(db):
    return Patient.objects.create(name="Rex")


@pytest.fixture
def asset(db):
    return Asset.objects.create(label="Boiler 7")


@pytest.fixture
def encounter(definition, patient):
    return create_encounter(definition, patient)


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(username="nurse")


@pytest.fixture
def other_user(db, django_user_model):
    return django_user_model.objects.create_user(username="doctor")
