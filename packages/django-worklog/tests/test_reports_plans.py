"""PostgreSQL: what the per-context totals read, by EXPLAIN of the query the report sends."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_worklog.models import WorkSession
from django_worklog.reports import total_seconds_per_context
from tests.testapp.models import RepairJob

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

TABLE = WorkSession._meta.db_table


def load_sessions(users, contexts, per_pair):
    """``users * contexts * per_pair`` stopped sessions in one INSERT ... SELECT (the clock's
    triggers off for it), then VACUUM ANALYZE, as a table that has lived for a while."""
    people = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"load{i}") for i in range(users)]
    )
    content_type = ContentType.objects.get_for_model(RepairJob)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"INSERT INTO {TABLE} (id, created_at, updated_at, user_id, context_content_type_id, "
            "context_id, started_at, stopped_at, duration_seconds, stop_reason, metadata) "
            "SELECT gen_random_uuid(), now(), now(), u, %s, c::text, "
            "now() - (n || ' hours')::interval, now() - (n || ' hours')::interval + "
            "interval '60 seconds', 60, 'user', '{}' "
            "FROM unnest(%s::int[]) u, generate_series(1, %s) c, generate_series(1, %s) n",
            [content_type.pk, [p.pk for p in people], contexts, per_pair],
        )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")
    return users * contexts * per_pair


def plan_of(report):
    with CaptureQueriesContext(connection) as captured:
        result = report()
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        return result, "\n".join(row[0] for row in cursor.fetchall())


def test_all_time_totals_per_context_read_the_kept_totals_not_the_sessions():
    """The all-time report reads ContextTotal (one row per user and context: 8,000 here for
    80,000 sessions), grouped in one hash table of contexts, and never the sessions."""
    loaded = load_sessions(users=20, contexts=400, per_pair=10)
    fill = import_module("django_worklog.migrations.0006_context_totals").FILL
    with connection.cursor() as cursor:  # the load bypassed the triggers: fill as 0006 does
        cursor.execute(fill)
        cursor.execute("VACUUM ANALYZE django_worklog_contexttotal")
    ContentType.objects.get_for_model(RepairJob)  # the label lookup, cached
    totals, plan = plan_of(total_seconds_per_context)
    assert len(totals) == 400
    assert sum(totals.values()) == loaded * 60
    assert "django_worklog_contexttotal" in plan, plan
    assert TABLE not in plan, plan
    assert "Sort" not in plan, plan
    assert "Join" not in plan, plan


def test_totals_over_a_period_read_only_that_period_through_the_start_index():
    load_sessions(users=20, contexts=400, per_pair=10)  # one session per pair per hour, back
    ContentType.objects.get_for_model(RepairJob)
    window = (timezone.now() - timedelta(hours=3), timezone.now())
    totals, plan = plan_of(lambda: total_seconds_per_context(*window))
    assert sum(totals.values()) == 20 * 400 * 2 * 60  # the sessions of the last two hours
    assert "Seq Scan" not in plan, plan
    assert "worksession_started_at" in plan, plan


def test_one_users_newest_sessions_are_an_index_range():
    """The admin's list filtered by one user: newest first, a page, without sorting the user's
    whole history."""
    load_sessions(users=20, contexts=400, per_pair=10)  # 4,000 sessions per user
    user = get_user_model().objects.get(username="load0")
    page = WorkSession.objects.filter(user=user).order_by("-started_at")[:100]
    with connection.cursor() as cursor:
        sql, params = page.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "worklog_user_started_deleted" in plan, plan
    assert "Sort" not in plan, plan


def test_a_new_session_finds_the_users_latest_stop_in_a_few_index_entries():
    """Migration 0008: the INSERT trigger's look-up of the user's latest stop reads the end of
    the (user, started_at) index, not the user's 4,000 sessions, and answers as max() did."""
    load_sessions(users=20, contexts=400, per_pair=10)
    user = get_user_model().objects.get(username="load0")
    latest_stop = import_module(
        "django_worklog.migrations.0008_session_start_reads_the_latest_stop"
    ).LATEST_STOP.replace("NEW.user_id", "%s")
    with connection.cursor() as cursor:
        cursor.execute(latest_stop, [user.pk])
        found = cursor.fetchone()[0]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + latest_stop, [user.pk])
        plan = cursor.fetchone()[0][0]["Plan"]
    assert found == WorkSession.objects.filter(user=user).latest("stopped_at").stopped_at
    assert plan["Shared Hit Blocks"] + plan.get("Shared Read Blocks", 0) < 20, plan
    assert "worklog_user_started_deleted" in str(plan), plan


def test_the_admin_counts_one_users_sessions_from_the_index_alone(admin_client):
    """The session list filtered by one user (4,000 sessions here): the bounded count is an
    index-only scan of (user, started_at, deleted_at), not a visit to each session's row."""
    load_sessions(users=20, contexts=400, per_pair=10)
    user = get_user_model().objects.get(username="load0")
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(
            "/admin/django_worklog/worksession/", {"user__id__exact": user.pk}
        )
    assert response.context["cl"].result_count == 4000
    [count] = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert "ORDER BY" not in count, count
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + count)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using worklog_user_started_deleted" in plan, plan
