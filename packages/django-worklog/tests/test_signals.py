import pytest

from django_worklog.services import start_session, stop_session
from django_worklog.signals import session_started, session_stopped

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def on_started(sender, session, user, **kwargs):
        calls.append(("started", session.context_id, user))

    def on_stopped(sender, session, user, reason, **kwargs):
        calls.append(("stopped", session.context_id, user, reason, session.duration_seconds))

    session_started.connect(on_started)
    session_stopped.connect(on_stopped)
    yield calls
    session_started.disconnect(on_started)
    session_stopped.disconnect(on_stopped)


def test_start_switch_and_stop_send_signals(received, user, job, lab_work, clock):
    start_session(user, job)
    clock.advance(seconds=5)
    start_session(user, lab_work)
    clock.advance(seconds=7)
    stop_session(user)
    assert received == [
        ("started", str(job.pk), user),
        ("stopped", str(job.pk), user, "switched", 5),
        ("started", str(lab_work.pk), user),
        ("stopped", str(lab_work.pk), user, "user", 7),
    ]


def test_a_failing_receiver_undoes_the_start(user, job):
    from django_worklog.services import get_active_session

    def refuse(**kwargs):
        raise RuntimeError("not now")

    session_started.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            start_session(user, job)
    finally:
        session_started.disconnect(refuse)
    assert get_active_session(user) is None
