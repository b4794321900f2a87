"""The MariaDB triggers of migration 0004, written around the services: a session made with
``objects.create()``, stopped by raw SQL (MariaDB keeps no clock: any first stop passes), then
attacked by raw SQL. The vendor-neutral tests of test_models.py and test_attacks.py cover the
same triggers through the services."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from django_worklog.models import WorkSession

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
    ),
    pytest.mark.django_db,
]

TABLE = WorkSession._meta.db_table
IMMUTABLE = "worklog_session_immutable: started_at, and stopped_at/duration_seconds once stopped"


def made(user, context):
    content_type = ContentType.objects.get_for_model(context)
    return WorkSession.objects.create(
        user=user, context_content_type=content_type, context_id=str(context.pk)
    )


def raw(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def db_time(moment):
    return connection.ops.adapt_datetimefield_value(moment)


@pytest.fixture
def stopped(user, job):
    session = made(user, job)
    stop = session.started_at + datetime.timedelta(seconds=90)
    raw(
        f"UPDATE {TABLE} SET stopped_at = %s, duration_seconds = 90 WHERE id = %s",
        [db_time(stop), session.pk.hex],
    )
    session.refresh_from_db()
    assert session.duration_seconds == 90
    return session


@pytest.mark.parametrize(
    "assignment",
    [
        "duration_seconds = duration_seconds + 60",
        "stopped_at = stopped_at + INTERVAL 1 HOUR",
        "stopped_at = NULL, duration_seconds = NULL",
        "started_at = started_at - INTERVAL 1 HOUR",
    ],
)
def test_a_stopped_sessions_times_are_refused_with_the_message(stopped, assignment):
    with pytest.raises(IntegrityError, match=f"{IMMUTABLE} \\(session {stopped.pk}\\)"):
        raw(f"UPDATE {TABLE} SET {assignment} WHERE id = %s", [stopped.pk.hex])
    stored = WorkSession.objects.get(pk=stopped.pk)
    assert (stored.started_at, stored.stopped_at, stored.duration_seconds) == (
        stopped.started_at,
        stopped.stopped_at,
        90,
    )


def test_a_running_sessions_start_is_refused(user, job):
    session = made(user, job)
    with pytest.raises(IntegrityError, match=IMMUTABLE):
        raw(
            f"UPDATE {TABLE} SET started_at = started_at - INTERVAL 1 HOUR WHERE id = %s",
            [session.pk.hex],
        )


def test_other_columns_soft_delete_and_delete_stay_allowed(stopped):
    raw(f"UPDATE {TABLE} SET stop_reason = 'system', deleted_at = UTC_TIMESTAMP(6)")
    assert WorkSession.all_objects.get(pk=stopped.pk).stop_reason == "system"
    raw(f"DELETE FROM {TABLE}")  # as on PostgreSQL: hard delete (and CASCADE from users) passes
    assert not WorkSession.all_objects.exists()


def test_a_session_cannot_be_inserted_already_stopped(stopped):
    columns = (
        "id, created_at, updated_at, user_id, context_content_type_id, context_id, metadata, "
        "started_at, stopped_at, duration_seconds"
    )
    now = db_time(stopped.started_at)
    params = ["0" * 31 + "1", now, now, stopped.user_id, stopped.context_content_type_id]
    with pytest.raises(IntegrityError, match="worklog_session_clock: a new session runs"):
        raw(
            f"INSERT INTO {TABLE} ({columns}, stop_reason) "
            "VALUES (%s, %s, %s, %s, %s, 'x', '{}', %s, %s, 60, 'user')",
            [*params, now, now],
        )
    assert WorkSession.all_objects.count() == 1
