"""The conditional uniqueness of django-worklog (one active session per user) is the database's:
a raw-SQL second active session is refused on every database, and 32 racing writers leave exactly
one active session on PostgreSQL and MariaDB. (start_session()'s own race, serialized by a lock,
is test_concurrency's.)"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from django_basemodels import ConditionalUniqueConstraint
from django_worklog.exceptions import SessionAlreadyActiveError
from django_worklog.models import WorkSession, context_key
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)
from tests.testapp.models import RepairJob

THREADS = 32
ONE_ACTIVE = "worklog_one_active_session_per_user"


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    assert conditional_unique_constraints("django_worklog") == {
        ONE_ACTIVE: ConditionalUniqueConstraint
    }


def running(user, job):
    """An unsaved running session of ``user`` on ``job``."""
    return WorkSession(
        user=user,
        context_content_type=ContentType.objects.get_for_model(job),
        context_id=context_key(job),
    )


def test_raw_sql_cannot_start_a_second_active_session(user, job):
    running(user, job).save()
    forged = running(user, job)
    forged.started_at = timezone.now()  # what start_session() or the trigger would set
    with refused_by_unique_constraint(WorkSession, ONE_ACTIVE):
        insert_by_raw_sql(forged)
    assert WorkSession.objects.filter(user=user).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_creates_leave_one_active_session():
    user = get_user_model().objects.create_user("sam")
    job = RepairJob.objects.create(title="Brake repair")
    run = run_concurrently(lambda i: running(user, job).save(), threads=THREADS)
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [SessionAlreadyActiveError] * (THREADS - 1)
    assert WorkSession.objects.filter(user=user, stopped_at__isnull=True).count() == 1
