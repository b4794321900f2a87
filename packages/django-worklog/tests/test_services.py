import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from django_worklog.exceptions import InvalidArgumentError, InvalidContextError, NoActiveSession
from django_worklog.models import WorkSession
from django_worklog.services import get_active_session, start_session, stop_session
from django_worklog.signals import session_stopped
from django_worklog.switch import running_and_clock, stop_switched
from tests.testapp.models import LabWork, RepairJob

pytestmark = pytest.mark.django_db


def test_start_session_on_an_integer_pk_context(user, job, clock):
    session = start_session(user, job)
    assert session.context == job
    assert session.context_id == str(job.pk)
    assert session.started_at == clock.now
    assert session.is_active
    assert (session.stopped_at, session.duration_seconds) == (None, None)


def test_start_session_on_a_uuid_pk_context(user, lab_work):
    session = start_session(user, lab_work, metadata={"bench": 3})
    fresh = WorkSession.objects.get(pk=session.pk)
    assert fresh.context == lab_work
    assert fresh.metadata == {"bench": 3}


def test_stop_session_computes_duration_from_the_server_clock(user, job, clock):
    start_session(user, job)
    clock.advance(minutes=25, seconds=30.9)
    stopped = stop_session(user)
    assert stopped.stopped_at == clock.now
    assert stopped.duration_seconds == 25 * 60 + 30  # whole seconds, rounded down
    assert stopped.stop_reason == "user"
    assert get_active_session(user) is None


def test_stop_without_active_session_raises(user):
    with pytest.raises(NoActiveSession, match=r"user 'sam' \(pk=\d+\) has no active work session"):
        stop_session(user)


def test_stopping_twice_raises(user, job):
    start_session(user, job)
    stop_session(user)
    with pytest.raises(NoActiveSession) as caught:
        stop_session(user)
    assert caught.value.user == user


def test_switch_policy_stops_the_running_session(user, job, lab_work, clock):
    first = start_session(user, job)
    clock.advance(seconds=90)
    second = start_session(user, lab_work)
    first.refresh_from_db()
    assert first.duration_seconds == 90
    assert first.stop_reason == "switched"
    assert first.stopped_at == second.started_at
    assert get_active_session(user) == second


def test_sessions_of_different_users_are_independent(user, other_user, job):
    mine = start_session(user, job)
    theirs = start_session(other_user, job)
    assert get_active_session(user) == mine
    assert get_active_session(other_user) == theirs


def test_get_active_session_never_returns_a_soft_deleted_session(user, job):
    session = start_session(user, job)
    session.delete()
    assert get_active_session(user) is None
    # The soft-deleted session no longer counts as active: a new one can start.
    assert start_session(user, job).is_active
    assert WorkSession.all_objects.filter(user=user).count() == 2


@pytest.mark.parametrize("context", [None, "job-17", RepairJob(title="unsaved")])
def test_context_must_be_a_saved_instance(user, context):
    with pytest.raises(InvalidContextError, match="expected a model instance with a primary key"):
        start_session(user, context)
    assert not WorkSession.objects.exists()


def test_start_session_query_budget(user, job, django_assert_num_queries):
    ContentType.objects.get_for_model(RepairJob)  # content types are cached after first use
    # SAVEPOINT, the user's running session (none) and the clock, INSERT, RELEASE.
    with django_assert_num_queries(4):
        start_session(user, job)


def test_switch_query_budget(user, job, lab_work, django_assert_num_queries):
    ContentType.objects.get_for_model(LabWork)
    start_session(user, job)
    # ... plus one UPDATE stopping the running session: a plain model's switch, in statements.
    with django_assert_num_queries(5):
        start_session(user, lab_work)


def test_stop_session_query_budget(user, job, django_assert_num_queries):
    start_session(user, job)
    # SAVEPOINT, lock the running session, UPDATE, RELEASE.
    with django_assert_num_queries(4):
        stop_session(user)


def test_get_active_session_is_one_query(user, job, django_assert_num_queries):
    start_session(user, job)
    with django_assert_num_queries(1):
        get_active_session(user)


def test_switch_after_a_clock_step_backwards_keeps_the_chain(user, job, lab_work, clock):
    first = start_session(user, job)
    clock.advance(seconds=-30)  # another application server, its clock slightly behind
    second = start_session(user, lab_work)
    first.refresh_from_db()
    assert first.duration_seconds == 0
    assert first.stopped_at == second.started_at == first.started_at


def test_a_switch_leaves_a_session_stopped_since_it_was_read_alone(user, job, clock):
    start_session(user, job)
    running, reading = running_and_clock(user, "default")
    now = reading or clock.now  # the database's clock where it keeps one, else the server's
    clock.advance(seconds=5)
    stopped = stop_session(user)  # by someone else, between the read and the switch's UPDATE
    assert stop_switched(running, now, "default") is False
    assert WorkSession.objects.get(pk=stopped.pk).duration_seconds == 5
    assert running.stopped_at is None  # the instance was not touched either


def test_the_switch_hands_on_the_stopped_session_as_the_orm_reads_it(user, job, lab_work, clock):
    """The switch reads the running session with its own SQL: every column comes back as the
    ORM would load it (UUID key, aware datetimes, JSON as a dict), and the instance saves."""
    first = start_session(user, lab_work, metadata={"bench": 3, "tags": ["a", "b"]})
    clock.advance(seconds=3)
    sent = []

    def on_stopped(sender, session, **kwargs):
        sent.append(session)

    session_stopped.connect(on_stopped)
    try:
        start_session(user, job)
    finally:
        session_stopped.disconnect(on_stopped)
    [stopped] = sent
    stored = WorkSession.objects.get(pk=first.pk)
    for field in WorkSession._meta.concrete_fields:
        assert getattr(stopped, field.attname) == getattr(stored, field.attname), field.name
    assert isinstance(stopped.pk, uuid.UUID)
    assert stopped.metadata == {"bench": 3, "tags": ["a", "b"]}
    assert stopped.started_at.tzinfo is not None
    assert (stopped.duration_seconds, stopped.stop_reason) == (3, "switched")
    assert (stopped._state.adding, stopped._state.db) == (False, "default")
    stopped.metadata = {"reviewed": True}
    stopped.save()  # a loaded, stopped session: its times are known and unchanged
    assert WorkSession.objects.get(pk=first.pk).metadata == {"reviewed": True}


def test_start_session_for_a_user_deleted_meanwhile_is_refused(user, job):
    get_user_model().objects.filter(pk=user.pk).delete()
    with pytest.raises(InvalidArgumentError, match="a user that exists in the database"):
        start_session(user, job)
    assert not WorkSession.all_objects.exists()
