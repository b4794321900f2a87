from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from django_worklog.exceptions import ImmutableSessionError, SessionAlreadyActiveError
from django_worklog.models import WorkSession
from django_worklog.services import start_session, stop_session

pytestmark = pytest.mark.django_db

TABLE = WorkSession._meta.db_table


def raw_update(sql_set, session, params=()):
    """Write around the ORM: only database constraints and triggers can refuse this."""
    # SQLite stores UUIDs as 32 hex digits; PostgreSQL's uuid type accepts that form too.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {sql_set} WHERE id = %s", [*params, session.pk.hex])


def test_database_refuses_a_second_active_session(user, job, lab_work):
    start_session(user, job)
    second = start_session(user, lab_work)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update("stopped_at = NULL, duration_seconds = NULL, stop_reason = ''", _first(user))
    assert WorkSession.objects.active().get(user=user) == second


def _first(user):
    return WorkSession.objects.filter(user=user).order_by("started_at").first()


def test_save_refuses_a_second_active_session_clearly(user, job):
    running = start_session(user, job)
    duplicate = WorkSession(
        user=user,
        context_content_type=running.context_content_type,
        context_id=running.context_id,
        started_at=running.started_at,
    )
    with pytest.raises(SessionAlreadyActiveError, match=rf"user pk={user.pk} already has"):
        duplicate.save()
    assert WorkSession.objects.count() == 1


def test_database_refuses_stop_without_duration(user, job):
    session = start_session(user, job)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update("stopped_at = started_at", session)


def test_database_refuses_duration_without_stop(user, job):
    session = start_session(user, job)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update("duration_seconds = 5", session)


def test_database_refuses_a_stop_before_the_start(user, job):
    session = start_session(user, job)
    earlier = connection.ops.adapt_datetimefield_value(session.started_at - timedelta(seconds=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update("stopped_at = %s, duration_seconds = 0", session, [earlier])
    session.refresh_from_db()
    assert session.is_active


def test_duration_is_immutable_for_raw_sql(user, job):
    start_session(user, job)
    session = stop_session(user)
    with pytest.raises(IntegrityError, match="worklog_session_immutable"), transaction.atomic():
        raw_update("duration_seconds = duration_seconds + 60", session)
    with pytest.raises(IntegrityError, match="worklog_session_immutable"), transaction.atomic():
        raw_update("stopped_at = NULL, duration_seconds = NULL", session)
    session.refresh_from_db()
    assert session.is_stopped


def test_started_at_is_immutable_for_raw_sql(user, job):
    session = start_session(user, job)
    earlier = connection.ops.adapt_datetimefield_value(session.started_at - timedelta(hours=1))
    with pytest.raises(IntegrityError, match="worklog_session_immutable"), transaction.atomic():
        raw_update("started_at = %s", session, [earlier])


def test_raw_sql_may_still_change_other_columns(user, job):
    start_session(user, job)
    session = stop_session(user)
    raw_update("stop_reason = 'system'", session)
    session.refresh_from_db()
    assert session.stop_reason == "system"


def test_save_refuses_a_changed_duration(user, job):
    start_session(user, job)
    session = stop_session(user)
    session.duration_seconds += 3600
    with pytest.raises(ImmutableSessionError, match=r"\['duration_seconds'\]"):
        session.save()
    session.refresh_from_db()
    assert session.duration_seconds < 3600


def test_save_refuses_a_changed_start(user, job):
    session = start_session(user, job)
    session.started_at -= timedelta(hours=1)
    with pytest.raises(ImmutableSessionError, match=r"\['started_at'\]"):
        session.save()


def test_save_refuses_unstopping(user, job):
    start_session(user, job)
    session = stop_session(user)
    session.stopped_at = session.duration_seconds = None
    with pytest.raises(ImmutableSessionError, match=r"\['duration_seconds', 'stopped_at'\]"):
        session.save()


def test_a_stale_instance_cannot_overwrite_a_stop(user, job):
    session = start_session(user, job)
    stale = WorkSession.objects.get(pk=session.pk)  # loaded while running
    stop_session(user)
    stale.metadata = {"note": "edited"}
    # The instance believes the session runs; saving it would erase the stop. The database says no.
    with pytest.raises(IntegrityError), transaction.atomic():
        stale.save()
    session.refresh_from_db()
    assert session.is_stopped


def test_saving_other_fields_of_a_stopped_session_works(user, job):
    start_session(user, job)
    session = stop_session(user)
    session.metadata = {"note": "fine"}
    session.save()
    session = WorkSession.objects.get(pk=session.pk)
    session.save()  # a full save of unchanged values passes the trigger
    assert session.metadata == {"note": "fine"}


@pytest.mark.parametrize("field", ["duration_seconds", "stopped_at", "started_at"])
def test_queryset_update_refuses_times(user, job, field):
    start_session(user, job)
    session = stop_session(user)
    with pytest.raises(
        ImmutableSessionError, match=rf"QuerySet.update\(\) cannot change \['{field}'\]"
    ):
        WorkSession.objects.filter(pk=session.pk).update(**{field: None})
    session.refresh_from_db()
    assert session.is_stopped


def test_queryset_update_of_other_fields_works(user, job):
    start_session(user, job)
    assert WorkSession.objects.update(metadata={"x": 1}) == 1


def test_bulk_update_refuses_duration(user, job):
    start_session(user, job)
    session = stop_session(user)
    session.duration_seconds = 1
    with pytest.raises(ImmutableSessionError, match=r"bulk_update\(\)"):
        WorkSession.objects.bulk_update([session], ["duration_seconds"])
    session.refresh_from_db()
    assert session.duration_seconds == 0


def test_bulk_create_is_refused(user, job):
    session = WorkSession(user=user, context_id="1")
    with pytest.raises(ImmutableSessionError, match=r"bulk_create\(\)"):
        WorkSession.objects.bulk_create([session])


def test_soft_delete_keeps_the_row_and_hides_it(user, job):
    start_session(user, job)
    session = stop_session(user)
    session.delete()
    assert not WorkSession.objects.filter(pk=session.pk).exists()
    assert WorkSession.deleted_objects.get(pk=session.pk).duration_seconds == 0


def test_queryset_soft_delete_of_a_stopped_session(user, job):
    start_session(user, job)
    stop_session(user)
    WorkSession.objects.all().delete()
    assert WorkSession.all_objects.count() == 1
    assert WorkSession.objects.count() == 0


def test_str(user, job, clock):
    start_session(user, job)
    clock.advance(seconds=42)
    assert str(stop_session(user)) == f"sam on testapp.repairjob {job.pk} (42s)"


def test_bulk_update_of_other_fields_works(user, job):
    session = start_session(user, job)
    session.metadata = {"bulk": True}
    assert WorkSession.objects.bulk_update([session], ["metadata"]) == 1
    session.refresh_from_db()
    assert session.metadata == {"bulk": True}


def test_one_index_on_user_serves_the_foreign_key_and_the_users_sessions(db):
    if connection.vendor == "mysql":
        pytest.skip("about PostgreSQL and SQLite: on MariaDB InnoDB keeps the key's own index")
    assert plain_indexes_starting_with("user_id") == ["worklog_user_started_deleted"]


def test_one_index_on_the_context_type_serves_the_foreign_key_and_the_contexts(db):
    """Migration 0010 dropped the foreign key's own index on PostgreSQL and SQLite; on MariaDB
    InnoDB took the (type, id) index for the key from the start."""
    assert plain_indexes_starting_with("context_content_type_id") == ["worklog_session_context"]


def plain_indexes_starting_with(column):
    """Names of the non-unique indexes of the sessions table whose first column is ``column``."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, WorkSession._meta.db_table)
    return sorted(
        name
        for name, constraint in constraints.items()
        if constraint["index"] and not constraint["unique"] and constraint["columns"][0] == column
    )
