"""On MariaDB racing drafts for one encounter can deadlock (their duplicate checks lock the same
gap of the unique index); the basket's insert, and get_or_create_draft_basket(), then run again
instead of raising a raw ``OperationalError``."""

import pytest
from django.db import IntegrityError, OperationalError, transaction

from django_basemodels.models import BaseModel
from django_catalog.models import Basket
from django_catalog.services import get_or_create_draft_basket
from primitives_testkit import deadlock_first_call

# transaction=True: outside a test transaction, as a save called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deadlocked_basket_insert_runs_again(monkeypatch, encounter, user):
    tries = deadlock_first_call(monkeypatch, BaseModel, "save")
    basket = Basket.objects.create(encounter=encounter, created_by=user)
    assert len(tries) == 2
    assert list(Basket.objects.values_list("pk", flat=True)) == [basket.pk]


def test_run_again_the_loser_of_the_race_meets_the_winners_draft(monkeypatch, encounter, user):
    Basket.objects.create(encounter=encounter, created_by=user)
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(IntegrityError):
        Basket.objects.create(encounter=encounter, created_by=user)
    assert Basket.objects.count() == 1


def test_the_service_creates_the_draft_after_a_deadlock(monkeypatch, encounter, user):
    tries = deadlock_first_call(monkeypatch, BaseModel, "save")
    draft = get_or_create_draft_basket(encounter, user)
    assert len(tries) == 2
    assert list(Basket.objects.drafts().values_list("pk", flat=True)) == [draft.pk]


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(monkeypatch, encounter, user):
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(OperationalError), transaction.atomic():
        get_or_create_draft_basket(encounter, user)
    assert not Basket.all_objects.exists()
