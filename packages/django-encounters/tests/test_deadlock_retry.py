"""On MariaDB racing inserts of one code can deadlock (their duplicate checks lock the same gap
of a unique index); the definition's save or bulk_create then runs again instead of raising a
raw ``OperationalError``."""

import pytest
from django.db import OperationalError, transaction

from django_basemodels.models import BaseModel
from django_basemodels.query import SoftDeleteQuerySet
from django_encounters import EncounterDefinition
from django_encounters.exceptions import DuplicateDefinitionError
from primitives_testkit import deadlock_first_call
from tests.conftest import VISIT

# transaction=True: outside a test transaction, as a save called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deadlocked_definition_insert_runs_again(monkeypatch):
    tries = deadlock_first_call(monkeypatch, BaseModel, "save")
    definition = EncounterDefinition.objects.create(**VISIT)
    assert len(tries) == 2
    assert list(EncounterDefinition.objects.values_list("pk", flat=True)) == [definition.pk]


def test_run_again_the_loser_of_the_race_gets_the_package_error(monkeypatch):
    EncounterDefinition.objects.create(**VISIT)
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(DuplicateDefinitionError):
        EncounterDefinition.objects.create(**{**VISIT, "name": "Another visit"})
    assert EncounterDefinition.objects.count() == 1


def test_a_deadlocked_bulk_create_runs_again(monkeypatch):
    tries = deadlock_first_call(monkeypatch, SoftDeleteQuerySet, "bulk_create")
    EncounterDefinition.objects.bulk_create([EncounterDefinition(**VISIT)])
    assert len(tries) == 2
    assert EncounterDefinition.objects.get().code == "VISIT"


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(monkeypatch):
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(OperationalError), transaction.atomic():
        EncounterDefinition.objects.create(**VISIT)
    assert not EncounterDefinition.all_objects.exists()
