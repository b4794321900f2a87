"""The all-time totals (``ContextTotal``) equal a recount of the sessions after every write path,
and the all-time report reads them instead of the sessions."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from django_worklog.exceptions import ImmutableSessionError
from django_worklog.models import ContextTotal, WorkSession
from django_worklog.reports import total_seconds_per_context
from django_worklog.services import (
    _stop_selected,
    start_session,
    stop_session,
    stop_stale_sessions,
)
from tests.testapp.models import RepairJob

pytestmark = pytest.mark.django_db

KEY = ("user", "context_content_type", "context_id")
FAR_PAST = "2000-01-01T00:00:00+00:00"


def kept():
    """What the triggers keep: {(user, content type, context id): (sessions, seconds)}."""
    rows = ContextTotal.objects.filter(sessions__gt=0).values_list(*KEY, "sessions", "seconds")
    return {tuple(row[:3]): (row[3], row[4]) for row in rows}


def recounted():
    """The same, counted from the live sessions."""
    rows = (
        WorkSession.objects.order_by()
        .values(*KEY)
        .annotate(n=Count("pk"), seconds=Sum("duration_seconds"))
    )
    return {tuple(row[k] for k in KEY): (row["n"], row["seconds"] or 0) for row in rows}


def assert_kept():
    assert kept() == recounted()
    # The report's all-time path (the totals) against its windowed path (the sessions).
    everything = WorkSession.all_objects.order_by("started_at").first()
    start = everything.started_at if everything else None
    assert total_seconds_per_context() == total_seconds_per_context(start=start)


@pytest.fixture
def worked(user, other_user, job, lab_work, clock):
    """Both users stopped on both contexts, and one running session each."""
    for person in (user, other_user):
        start_session(person, job)
        clock.advance(seconds=60)
        start_session(person, lab_work)
        clock.advance(seconds=90)
        start_session(person, job)
        clock.advance(seconds=15)
    assert_kept()
    return clock


def test_start_stop_and_switch(user, job, lab_work, clock):
    start_session(user, job)
    assert kept() == {(user.pk, _type(job), str(job.pk)): (1, 0)}  # running: counted, 0 s
    clock.advance(seconds=40)
    start_session(user, lab_work)
    assert kept()[(user.pk, _type(job), str(job.pk))] == (1, 40)
    assert_kept()
    clock.advance(seconds=5)
    stop_session(user)
    assert_kept()
    assert total_seconds_per_context() == {
        ("testapp.repairjob", str(job.pk)): 40,
        ("testapp.labwork", str(lab_work.pk)): 5,
    }


def test_bulk_stops(worked, user, other_user):
    worked.advance(hours=2)
    assert len(stop_stale_sessions(timedelta(hours=1))) == 2
    assert_kept()
    start_session(user, RepairJob.objects.create(title="again"))
    worked.advance(seconds=7)
    assert len(_stop_selected(list(WorkSession.objects.values_list("pk", flat=True)))) == 1
    assert_kept()


@pytest.mark.parametrize("running", [False, True], ids=["stopped", "running"])
def test_soft_delete_and_restore_of_one_session(worked, user, running):
    session = WorkSession.objects.filter(user=user, stopped_at__isnull=running).first()
    session.delete()
    assert_kept()
    WorkSession.deleted_objects.get(pk=session.pk).restore()
    assert_kept()


def test_soft_delete_and_restore_of_a_queryset(worked, user):
    WorkSession.objects.filter(user=user).delete()
    assert_kept()
    assert all(key[0] != user.pk for key in kept())
    WorkSession.deleted_objects.filter(user=user).restore()
    assert_kept()


def test_hard_delete_and_deleting_the_user(worked, user, other_user):
    WorkSession.objects.filter(user=other_user, stopped_at__isnull=False)[0].hard_delete()
    assert_kept()
    user.delete()  # its sessions go with it (CASCADE)
    assert_kept()
    assert all(key[0] == other_user.pk for key in kept())


def test_moving_sessions_to_another_user_or_context(worked, user, other_user, job, lab_work):
    other_user_sessions = WorkSession.objects.filter(user=other_user)
    stop_session(other_user)
    other_user_sessions.update(user=user)
    assert_kept()
    elsewhere = RepairJob.objects.create(title="elsewhere")
    WorkSession.objects.filter(context_id=str(job.pk)).update(context_id=str(elsewhere.pk))
    assert_kept()
    assert (user.pk, _type(job), str(job.pk)) not in kept()


def test_a_raw_update_is_counted_too(worked, user):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE django_worklog_worksession SET deleted_at = %s WHERE user_id = %s",
            [worked.now, user.pk],
        )
    assert_kept()


def test_other_updates_write_no_totals(worked, user):
    before = dict(ContextTotal.objects.values_list("pk", "seconds"))
    WorkSession.objects.filter(user=user).update(metadata={"note": "reviewed"})
    assert dict(ContextTotal.objects.values_list("pk", "seconds")) == before
    assert_kept()


def test_refused_bulk_paths_change_nothing(worked, user):
    before = kept()
    sessions = list(WorkSession.objects.filter(user=user))
    with pytest.raises(ImmutableSessionError):
        WorkSession.objects.filter(user=user).update(duration_seconds=1)
    with pytest.raises(ImmutableSessionError):
        WorkSession.objects.bulk_update(sessions, ["duration_seconds"])
    with pytest.raises(ImmutableSessionError):
        WorkSession.objects.bulk_create([WorkSession(user=user)])
    assert kept() == before
    assert_kept()


def test_the_all_time_report_is_one_query_over_the_totals(worked, user, django_assert_num_queries):
    with CaptureQueriesContext(connection) as captured:
        totals = total_seconds_per_context()
        mine = total_seconds_per_context(user=user)
    assert len(captured) == 2
    assert all("django_worklog_worksession" not in q["sql"] for q in captured.captured_queries)
    assert totals == {key: 2 * seconds for key, seconds in mine.items()}  # both worked alike
    with django_assert_num_queries(1):  # a period reads the sessions, as before
        total_seconds_per_context(start=worked.now - timedelta(days=1))


def test_the_report_reads_the_same_with_1_and_100_sessions(
    user, job, clock, django_assert_num_queries
):
    start_session(user, job)
    counts = []
    for more in (0, 99):
        for _ in range(more):
            clock.advance(seconds=1)
            start_session(user, job)  # stops the one before after 1 s
        with django_assert_num_queries(1) as captured:
            assert total_seconds_per_context() == {
                ("testapp.repairjob", str(job.pk)): more,
            }
        counts.append(len(captured))
    assert ContextTotal.objects.get().sessions == 100
    assert counts == [1, 1]


def _type(model_instance):
    return ContentType.objects.get_for_model(model_instance).pk


def test_the_migration_fills_the_totals_from_the_sessions(worked, user):
    WorkSession.objects.filter(user=user, stopped_at__isnull=False)[0].delete()  # not counted
    ContextTotal.objects.all().delete()
    migration = import_module("django_worklog.migrations.0006_context_totals")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert_kept()


def test_the_totals_are_read_only_in_the_admin(admin_client, worked, user):
    url = "/admin/django_worklog/contexttotal/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == len(kept()) == 4
    total = ContextTotal.objects.filter(user=user)[0]
    assert admin_client.get(f"{url}{total.pk}/change/").status_code == 200  # a view, no form
    assert admin_client.post(f"{url}{total.pk}/delete/").status_code == 403
    assert admin_client.get(f"{url}add/").status_code == 403
