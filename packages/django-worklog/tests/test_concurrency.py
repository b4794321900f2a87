from itertools import pairwise

import pytest
from django.db.models import F

from django_worklog.exceptions import NoActiveSession
from django_worklog.models import ContextTotal, WorkSession
from django_worklog.reports import total_seconds_per_context
from django_worklog.services import start_session, stop_session
from primitives_testkit import run_concurrently
from tests.testapp.models import LabWork, RepairJob

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]


def test_16_threads_start_sessions_for_one_user(user):
    # Integer and UUID contexts mixed, one per thread.
    contexts = [
        RepairJob.objects.create(title=f"job {i}")
        if i % 2
        else LabWork.objects.create(title=f"lab {i}")
        for i in range(16)
    ]
    run = run_concurrently(lambda i: start_session(user, contexts[i]).pk, threads=16)

    assert run.errors == []
    assert len(set(run.results)) == 16
    sessions = WorkSession.objects.filter(user=user)
    assert sessions.count() == 16
    [active] = sessions.filter(stopped_at__isnull=True)
    stopped = sessions.filter(stopped_at__isnull=False)
    assert stopped.count() == 15
    assert all(s.duration_seconds is not None and s.stop_reason == "switched" for s in stopped)
    # The sessions form one chain: each switch stopped exactly the session running before it.
    # Two sessions can share a start (a 0 s session), and the running one comes last: NULLs
    # sort first on SQLite and MariaDB, last on PostgreSQL, so the order says where they go.
    ordered = list(sessions.order_by("started_at", F("stopped_at").asc(nulls_last=True)))
    for before, after in pairwise(ordered):
        assert before.stopped_at == after.started_at
    assert ordered[-1] == active


def test_16_threads_stop_one_session(user, job):
    start_session(user, job)

    def stop(i):
        try:
            return stop_session(user).pk
        except NoActiveSession:
            return None

    run = run_concurrently(stop, threads=16)
    assert run.errors == []
    assert len([pk for pk in run.results if pk is not None]) == 1
    assert WorkSession.objects.get(user=user).duration_seconds is not None


def test_16_users_stop_on_one_context_and_the_totals_are_exact(django_user_model, job):
    users = [django_user_model.objects.create_user(f"worker{i}") for i in range(16)]
    for person in users:
        start_session(person, job)
    # Half stop, half switch to another context: both write the totals at once.
    lab = LabWork.objects.create(title="lab")
    run = run_concurrently(
        lambda i: stop_session(users[i]) if i % 2 else start_session(users[i], lab), threads=16
    )

    assert run.errors == []
    stopped = WorkSession.objects.filter(context_id=str(job.pk))
    assert all(session.duration_seconds is not None for session in stopped)
    rows = ContextTotal.objects.filter(context_id=str(job.pk))
    assert sorted(rows.values_list("user_id", "sessions", "seconds")) == sorted(
        (session.user_id, 1, session.duration_seconds) for session in stopped
    )
    assert ContextTotal.objects.get(context_id=str(lab.pk), user=users[0]).sessions == 1
    expected = sum(session.duration_seconds for session in stopped)
    assert total_seconds_per_context()[("testapp.repairjob", str(job.pk))] == expected


def test_16_threads_switch_one_user_and_the_totals_are_exact(user):
    contexts = [RepairJob.objects.create(title=f"job {i}") for i in range(4)]
    run = run_concurrently(lambda i: start_session(user, contexts[i % 4]).pk, threads=16)

    assert run.errors == []
    per_context = {}
    for session in WorkSession.objects.filter(user=user):
        count, seconds = per_context.get(session.context_id, (0, 0))
        per_context[session.context_id] = (count + 1, seconds + (session.duration_seconds or 0))
    kept = ContextTotal.objects.filter(user=user, sessions__gt=0)
    assert {row.context_id: (row.sessions, row.seconds) for row in kept} == per_context
