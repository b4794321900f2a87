from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from django_worklog.models import WorkSession
from django_worklog.services import get_active_session, start_session, stop_stale_sessions
from django_worklog.signals import session_stopped

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("stop_stale_sessions", *args, stdout=out)
    return out.getvalue()


def test_stops_only_sessions_older_than_the_limit(user, other_user, job, lab_work, clock):
    start_session(user, job)
    clock.advance(hours=13)
    start_session(other_user, lab_work)
    clock.advance(hours=1)

    output = run()  # default limit: WORKLOG_STALE_AFTER_HOURS = 12

    assert "1 session(s) running longer than 12h stopped." in output
    stale = WorkSession.objects.get(user=user)
    assert (stale.stop_reason, stale.duration_seconds) == ("system", 14 * 3600)
    assert get_active_session(other_user) is not None


def test_hours_option_and_setting(user, job, clock, settings):
    start_session(user, job)
    clock.advance(hours=3)
    assert "0 session(s)" in run("--hours", "4")
    settings.WORKLOG_STALE_AFTER_HOURS = 2
    assert "1 session(s) running longer than 2h stopped." in run()


def test_sends_session_stopped_with_system_reason(user, job, clock):
    reasons = []

    def receiver(reason, user, **kwargs):
        reasons.append((reason, user))

    session_stopped.connect(receiver)
    try:
        start_session(user, job)
        clock.advance(days=2)
        run()
    finally:
        session_stopped.disconnect(receiver)
    assert reasons == [("system", user)]


def test_refuses_a_non_positive_age():
    with pytest.raises(CommandError, match=r"--hours is 0\.0; expected a number of hours above 0"):
        run("--hours", "0")


def test_stale_stop_query_budget_does_not_grow_with_sessions(
    user, other_user, job, lab_work, clock, django_assert_num_queries
):
    start_session(user, job)
    start_session(other_user, lab_work)
    clock.advance(hours=30)
    start_session(user, lab_work)  # switching: the job session is stopped, not stale
    clock.advance(hours=20)
    # SAVEPOINT, lock the stale sessions, one UPDATE for all, fetch their users, RELEASE.
    with django_assert_num_queries(5):
        stopped = stop_stale_sessions(timedelta(hours=12))
    assert {(s.user, s.duration_seconds) for s in stopped} == {
        (user, 20 * 3600),
        (other_user, 50 * 3600),
    }
    for session in stopped:
        session.refresh_from_db()
        assert (session.stop_reason, session.is_stopped) == ("system", True)
