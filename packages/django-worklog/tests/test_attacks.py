"""Every write path an attacker would try against the promises: times come from the server clock
(the database's on PostgreSQL), one active session per user, sessions on real contexts only."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from django_worklog.exceptions import (
    ImmutableSessionError,
    InvalidContextError,
    SessionAlreadyActiveError,
)
from django_worklog.models import WorkSession
from django_worklog.services import get_active_session, start_session, stop_session
from primitives_testkit import run_concurrently
from tests.testapp.models import LabWork, RepairJob

pytestmark = pytest.mark.django_db

TABLE = WorkSession._meta.db_table


def new_session(user, job, **times):
    return WorkSession(
        user=user,
        context_content_type=ContentType.objects.get_for_model(job),
        context_id=str(job.pk),
        **times,
    )


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def db_time(value):
    return connection.ops.adapt_datetimefield_value(value)


def test_save_of_a_running_session_cannot_stop_it_at_a_chosen_time(user, job, clock):
    session = start_session(user, job)
    session.stopped_at = clock.now + timedelta(hours=8)
    session.duration_seconds = 8 * 3600
    with pytest.raises(ImmutableSessionError, match=r"\['duration_seconds', 'stopped_at'\]"):
        session.save()
    assert WorkSession.objects.get(pk=session.pk).is_active


def test_objects_create_takes_no_times(user, job, clock):
    forged = {
        "started_at": clock.now - timedelta(hours=3),
        "stopped_at": clock.now,
        "duration_seconds": 3 * 3600,
    }
    with pytest.raises(ImmutableSessionError, match="times come from the server clock"):
        WorkSession.objects.create(**vars_of(new_session(user, job, **forged)))
    assert not WorkSession.all_objects.exists()


def vars_of(session):
    return {
        "user": session.user,
        "context_content_type": session.context_content_type,
        "context_id": session.context_id,
        "started_at": session.started_at,
        "stopped_at": session.stopped_at,
        "duration_seconds": session.duration_seconds,
    }


def test_objects_create_without_times_starts_at_the_clock(user, job, clock):
    clock.advance(minutes=5)
    session = WorkSession.objects.create(**vars_of(new_session(user, job)))
    assert session.started_at == clock.now
    assert WorkSession.objects.get(pk=session.pk).started_at == clock.now


def test_base_manager_bulk_create_and_update_are_guarded(user, job, clock):
    with pytest.raises(ImmutableSessionError, match=r"bulk_create\(\)"):
        WorkSession._base_manager.bulk_create([new_session(user, job, started_at=clock.now)])
    session = start_session(user, job)
    with pytest.raises(ImmutableSessionError, match=r"QuerySet.update\(\)"):
        WorkSession._base_manager.filter(pk=session.pk).update(stopped_at=clock.now)
    assert WorkSession.all_objects.get().is_active


def test_update_with_an_expression_cannot_set_times(user, job):
    session = start_session(user, job)
    with pytest.raises(ImmutableSessionError):
        WorkSession.objects.filter(pk=session.pk).update(
            stopped_at=F("started_at") + timedelta(hours=1), duration_seconds=3600
        )
    assert WorkSession.objects.get(pk=session.pk).is_active


def test_raw_insert_of_a_stopped_session_is_refused(user, job, clock):
    session = start_session(user, job)
    stop_session(user)
    columns = "id, created_at, updated_at, user_id, context_content_type_id, context_id, metadata"
    values = "%s, %s, %s, %s, %s, %s, '{}'"
    params = [
        "0" * 31 + "1",
        db_time(clock.now),
        db_time(clock.now),
        user.pk,
        session.context_content_type_id,
        session.context_id,
    ]
    forged = [db_time(clock.now - timedelta(days=1)), db_time(clock.now), 86400]
    with pytest.raises(IntegrityError, match="worklog_session_clock"):
        raw(
            f"INSERT INTO {TABLE} ({columns}, started_at, stopped_at, duration_seconds, "
            f"stop_reason) VALUES ({values}, %s, %s, %s, '')",
            [*params, *forged],
        )
    assert WorkSession.all_objects.count() == 1


@pytest.mark.postgresql
def test_raw_insert_gets_the_transaction_clock_not_its_own_start(user, job, clock):
    content_type = ContentType.objects.get_for_model(job)
    backdated = clock.now - timedelta(days=30)
    raw(
        f"INSERT INTO {TABLE} (id, created_at, updated_at, user_id, context_content_type_id, "
        "context_id, metadata, started_at, stop_reason) "
        "VALUES (gen_random_uuid(), now(), now(), %s, %s, %s, '{}', %s, '')",
        [user.pk, content_type.pk, str(job.pk), backdated],
    )
    assert get_active_session(user).started_at == clock.now


@pytest.mark.postgresql
def test_raw_stop_at_a_chosen_time_is_refused(user, job, clock):
    session = start_session(user, job)
    clock.advance(minutes=10)
    later = clock.now + timedelta(hours=5)
    with pytest.raises(IntegrityError, match="worklog_session_clock"):
        raw(
            f"UPDATE {TABLE} SET stopped_at = %s, duration_seconds = %s WHERE id = %s",
            [later, int((later - session.started_at).total_seconds()), session.pk],
        )
    with pytest.raises(IntegrityError, match="worklog_session_clock"):  # a shortened duration
        raw(
            f"UPDATE {TABLE} SET stopped_at = django_worklog_now(), duration_seconds = 1 "
            "WHERE id = %s",
            [session.pk],
        )
    raw(  # the clock's own stop, with the derived duration, is what the database takes
        f"UPDATE {TABLE} SET stopped_at = django_worklog_now(), duration_seconds = 600 "
        "WHERE id = %s",
        [session.pk],
    )
    assert WorkSession.objects.get(pk=session.pk).duration_seconds == 600


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_racing_objects_create_raises_the_package_error(user, job):
    fields = vars_of(new_session(user, job))

    def create(i):
        return WorkSession.objects.create(**fields).pk

    run = run_concurrently(create, threads=8)
    assert len(run.results) == 1
    assert len(run.errors) == 7
    assert all(isinstance(error, SessionAlreadyActiveError) for error in run.errors)
    assert WorkSession.objects.active().count() == 1


def test_restore_of_a_running_session_meets_the_one_active_rule(user, job, lab_work):
    old = start_session(user, job)
    old.delete()  # a running session, deleted: the user is free again
    current = start_session(user, lab_work)
    with pytest.raises(SessionAlreadyActiveError, match=rf"user pk={user.pk} already has"):
        old.restore()
    with pytest.raises(SessionAlreadyActiveError):
        WorkSession.deleted_objects.all().restore()
    assert get_active_session(user) == current
    assert WorkSession.deleted_objects.get() == old


def test_restoring_two_running_sessions_of_one_user_is_refused(user, job, lab_work):
    start_session(user, job).delete()
    start_session(user, lab_work).delete()
    with pytest.raises(SessionAlreadyActiveError):
        WorkSession.deleted_objects.all().restore()
    assert WorkSession.deleted_objects.count() == 2


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_racing_restores_raise_the_package_error(user, job, lab_work):
    first = start_session(user, job)
    first.delete()
    second = start_session(user, lab_work)
    second.delete()
    sessions = [first, second]

    run = run_concurrently(lambda i: WorkSession.all_objects.get(pk=sessions[i].pk).restore(), 2)
    assert run.results == [1]
    assert [type(error) for error in run.errors] == [SessionAlreadyActiveError]
    assert WorkSession.objects.active().count() == 1


def test_handing_a_running_session_to_a_busy_user_is_refused(user, other_user, job, lab_work):
    mine = start_session(user, job)
    start_session(other_user, lab_work)
    with pytest.raises(SessionAlreadyActiveError, match=rf"user pk={other_user.pk}"):
        WorkSession.objects.filter(pk=mine.pk).update(user=other_user)
    assert WorkSession.objects.get(pk=mine.pk).user == user


@pytest.mark.parametrize("context", [LabWork(title="unsaved"), RepairJob], ids=["uuid", "class"])
def test_start_session_on_something_unsaved_leaves_nothing(user, context):
    with pytest.raises(InvalidContextError):
        start_session(user, context)
    assert not WorkSession.all_objects.exists()
