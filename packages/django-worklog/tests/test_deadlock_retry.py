"""On MariaDB racing starts for one user can deadlock (their duplicate checks lock the same gap
of the unique index); the insert then runs again instead of raising a raw ``OperationalError``,
and the loser of the race gets ``SessionAlreadyActiveError``."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction

from django_basemodels.models import BaseModel
from django_worklog.exceptions import SessionAlreadyActiveError
from django_worklog.models import WorkSession
from primitives_testkit import deadlock_first_call
from tests.test_conditional_uniqueness import running
from tests.testapp.models import RepairJob

# transaction=True: outside a test transaction, as a save called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def user_and_job():
    return get_user_model().objects.create_user("sam"), RepairJob.objects.create(title="Brakes")


def test_a_deadlocked_session_insert_runs_again(monkeypatch, user_and_job):
    tries = deadlock_first_call(monkeypatch, BaseModel, "save")
    session = running(*user_and_job)
    session.save()
    assert len(tries) == 2
    assert list(WorkSession.objects.values_list("pk", flat=True)) == [session.pk]


def test_run_again_the_loser_of_the_race_gets_the_package_error(monkeypatch, user_and_job):
    running(*user_and_job).save()
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(SessionAlreadyActiveError):
        running(*user_and_job).save()
    assert WorkSession.objects.count() == 1


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(monkeypatch, user_and_job):
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(OperationalError), transaction.atomic():
        running(*user_and_job).save()
    assert not WorkSession.all_objects.exists()
