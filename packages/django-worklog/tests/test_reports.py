from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from django_worklog.models import context_key
from django_worklog.reports import (
    sessions_for_context,
    total_seconds_for_context,
    total_seconds_per_context,
    total_seconds_per_user,
)
from django_worklog.services import start_session, stop_session
from tests.testapp.models import LabWork, RepairJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(user, other_user, job, lab_work, clock):
    """sam: 60s on the job, 120s on the lab work; kim: 30s on the job next day, then running."""
    start_session(user, job)
    clock.advance(seconds=60)
    start_session(user, lab_work)
    clock.advance(seconds=120)
    stop_session(user)
    clock.advance(days=1)
    start_session(other_user, job)
    clock.advance(seconds=30)
    start_session(other_user, lab_work)  # still running: no duration yet
    return clock


def test_sessions_for_context(worked, job, user, other_user):
    sessions = list(sessions_for_context(job))
    assert [s.user for s in sessions] == [other_user, user]  # newest first


def test_sessions_for_context_in_a_period(worked, job, user):
    day_one = worked.now - timedelta(days=1, seconds=30)
    sessions = sessions_for_context(job, end=day_one.replace(hour=23, minute=59))
    assert [s.user for s in sessions] == [user]


def test_total_seconds_for_context(worked, job, lab_work):
    assert total_seconds_for_context(job) == 90
    assert total_seconds_for_context(lab_work) == 120
    assert total_seconds_for_context(job, start=worked.now - timedelta(hours=1)) == 30


def test_total_seconds_per_user(worked, user, other_user, job):
    assert total_seconds_per_user() == {user.pk: 180, other_user.pk: 30}
    assert total_seconds_per_user(context=job) == {user.pk: 60, other_user.pk: 30}
    assert total_seconds_per_user(start=worked.now - timedelta(hours=1)) == {other_user.pk: 30}


def test_total_seconds_per_context(worked, user, job, lab_work):
    job_key = ("testapp.repairjob", str(job.pk))
    lab_key = ("testapp.labwork", context_key(lab_work))
    assert total_seconds_per_context() == {job_key: 90, lab_key: 120}
    assert total_seconds_per_context(user=user) == {job_key: 60, lab_key: 120}


def test_soft_deleted_sessions_are_not_reported(worked, job, user):
    sessions_for_context(job).filter(user=user).delete()
    assert total_seconds_for_context(job) == 30


def _many_sessions(user, contexts, clock):
    for context in contexts:
        start_session(user, context)
        clock.advance(seconds=10)
    stop_session(user)


def test_each_report_is_one_query_whatever_the_number_of_sessions(
    user, clock, django_assert_num_queries
):
    jobs = [RepairJob.objects.create(title=str(i)) for i in range(30)]
    _many_sessions(user, jobs, clock)
    ContentType.objects.get_for_model(RepairJob)
    ContentType.objects.get_for_model(LabWork)
    with django_assert_num_queries(1):
        assert [s.user.username for s in sessions_for_context(jobs[0])] == ["sam"]
    with django_assert_num_queries(1):
        assert total_seconds_for_context(jobs[0]) == 10
    with django_assert_num_queries(1):
        assert total_seconds_per_user() == {user.pk: 300}
    with django_assert_num_queries(1):
        assert len(total_seconds_per_context()) == 30
