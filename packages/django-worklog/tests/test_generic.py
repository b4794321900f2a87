"""The context is stored as content type + text id: integer and UUID keys, both directions."""

import pytest
from django.db.models import Count, Sum

from django_worklog.models import WorkSession, context_key
from django_worklog.services import start_session, stop_session
from tests.testapp.models import LabWork, RepairJob

pytestmark = pytest.mark.django_db


def test_generic_relation_from_integer_pk_context(user, job):
    session = start_session(user, job)
    assert list(job.work_sessions.all()) == [session]


def test_generic_relation_from_uuid_pk_context(user, lab_work):
    session = start_session(user, lab_work)
    assert list(lab_work.work_sessions.all()) == [session]
    assert session.context_id == context_key(lab_work) == str(lab_work.pk)


def test_join_from_integer_pk_model(user, job, clock):
    other = RepairJob.objects.create(title="idle")
    start_session(user, job)
    clock.advance(seconds=45)
    stop_session(user)
    worked_on = RepairJob.objects.filter(work_sessions__user=user)
    assert list(worked_on) == [job]
    totals = RepairJob.objects.annotate(total=Sum("work_sessions__duration_seconds"))
    assert {j.pk: j.total for j in totals} == {job.pk: 45, other.pk: None}


# SQLite stores UUIDs as 32 hex digits, so an SQL join of that column with the text id (Django's
# hyphenated str(uuid)) cannot match there; PostgreSQL compares uuid values.
@pytest.mark.postgresql
def test_join_from_uuid_pk_model(user, lab_work):
    LabWork.objects.create(title="idle")
    start_session(user, lab_work)
    counted = LabWork.objects.annotate(n=Count("work_sessions")).filter(n__gt=0)
    assert list(counted) == [lab_work]


def test_join_from_the_session_side_integer_pk(user, job):
    start_session(user, job)
    assert WorkSession.objects.get(repair_job__title="Brake repair").context == job


@pytest.mark.postgresql
def test_join_from_the_session_side_uuid_pk(user, lab_work):
    start_session(user, lab_work)
    assert WorkSession.objects.get(lab_work__title="Blood panel").context == lab_work


def test_prefetch_contexts_of_mixed_key_types(
    user, other_user, job, lab_work, django_assert_num_queries
):
    start_session(user, job)
    start_session(other_user, lab_work)
    with django_assert_num_queries(3):  # sessions, then one query per context model
        contexts = {s.context for s in WorkSession.objects.prefetch_related("context")}
    assert contexts == {job, lab_work}
