from itertools import pairwise

import pytest
from django.db.models import F

from django_worklog.exceptions import NoActiveSession
from django_worklog.models import WorkSession
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
