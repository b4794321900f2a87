"""PostgreSQL: what the admin's pages run is served by indexes, on a table large enough that
the planner would scan it otherwise.

Each test loads the entries with one ``INSERT ... SELECT generate_series``, runs ``ANALYZE``,
opens the admin page and EXPLAINs every statement the page ran against the entries table: no
``Seq Scan`` on it. A statement the admin does not run (a filter on a column no index starts
with) shows that the same table is scanned, i.e. that the data is large enough to tell.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_audit_log.models import AuditLog
from tests.testapp.models import Invoice

# The count stops at 100 entries and free text is searched among the newest 100: against 30,000
# rows that is the proportion of the defaults (10,000) to a table of three million; the plans
# are the same ones at any larger size.
pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db,
    pytest.mark.usefixtures("_count_limit"),
]

URL = "/admin/django_audit_log/auditlog/"
TABLE = AuditLog._meta.db_table
ROWS = 30_000

# Sensitivity: one entry in a thousand critical, one in a hundred high. System: one in fifty.
LOAD = f"""
INSERT INTO {TABLE} (id, created_at, action, actor_display, target_content_type_id, target_id,
    target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), now() - i * interval '1 second',
    (ARRAY['create', 'update', 'delete', 'login'])[1 + i %% 4], 'user' || (i %% 100),
    %s, 'obj-' || (i %% 10000), 'Invoice ' || (i %% 10000), '{{}}', '{{}}', 'agent ' || (i %% 7),
    'req-' || i,
    CASE WHEN i %% 1000 = 0 THEN 'critical' WHEN i %% 100 = 0 THEN 'high' ELSE 'normal' END,
    i %% 50 = 0, ''
FROM generate_series(1, {ROWS}) AS i
"""


@pytest.fixture
def _count_limit(settings):
    settings.AUDIT_LOG_ADMIN_COUNT_LIMIT = 100
    settings.AUDIT_LOG_ADMIN_SEARCH_WINDOW = 100


@pytest.fixture
def many_entries():
    content_type = ContentType.objects.get_for_model(Invoice)
    with connection.cursor() as cursor:
        cursor.execute(LOAD, [content_type.pk])
        cursor.execute(f"ANALYZE {TABLE}")
    # Large enough to tell: a filter on a column that no index starts with scans the table.
    unindexed = AuditLog.objects.filter(user_agent="agent 3")[:10_001]
    assert f"Seq Scan on {TABLE}" in plan(*unindexed.query.sql_with_params())
    return AuditLog.objects.order_by("created_at")[500]  # an entry deep in the pile


def plan(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def statements_of_page(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries if TABLE in q["sql"]]


def buffers_touched(sql):
    """Shared buffers the statement touched, run for real (EXPLAIN ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
    top = document[0]["Plan"]
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"]


def scan_buffers():
    """Buffers a scan of the whole entries table touches (a filter no index serves)."""
    unindexed = AuditLog.objects.filter(user_agent="agent 3").values("pk")
    sql, params = unindexed.query.sql_with_params()
    with connection.cursor() as cursor:
        return buffers_touched(cursor.mogrify(sql, params))


def assert_served_by_indexes(client, params):
    """Every statement of the page: no scan of the entries table, and less than half the
    buffers a scan touches (the bounded count and window walk at most 100 entries)."""
    response, statements = statements_of_page(client, params)
    assert statements
    scan = scan_buffers()
    for sql in statements:
        explained = plan(sql)
        assert f"Seq Scan on {TABLE}" not in explained, f"{params}\n{sql}\n{explained}"
        assert buffers_touched(sql) < scan / 2, f"{params}\n{sql}\n{explained}"
    return response


def test_searches_use_indexes(admin_user_client, many_entries):
    entry = many_entries
    for term in (entry.target_id, entry.request_id, str(entry.pk), str(entry.pk).upper()):
        response = assert_served_by_indexes(admin_user_client, {"q": term})
        assert entry in response.context["cl"].result_list, term
    # Free text walks the newest entries (the search window) through the created_at index.
    response = assert_served_by_indexes(admin_user_client, {"q": "user7"})
    assert response.context["cl"].result_list


def test_the_list_and_its_filters_use_indexes(admin_user_client, many_entries):
    for params in (
        {},
        {"sensitivity__exact": "critical"},
        {"sensitivity__exact": "high"},
        {"is_system__exact": "1"},
        {"action__exact": "login"},
        {"created_at__gte": "2000-01-01 00:00:00+00:00"},
        {"sensitivity__exact": "critical", "q": "req-1000"},
    ):
        response = assert_served_by_indexes(admin_user_client, params)
        assert response.context["cl"].result_list, params


SPREAD = f"""
INSERT INTO {TABLE} (id, created_at, action, actor_display, target_content_type_id, target_id,
    target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), now() - i * interval '{ROWS // 300} seconds', 'update', 'user', %s,
    'spread', 'Invoice spread', '{{}}', '{{}}', 'agent', 'req-spread-' || i, 'normal', false, ''
FROM generate_series(1, 300) AS i
"""


def test_an_exact_id_search_reads_the_matches_not_the_newest_entries(
    admin_user_client, many_entries
):
    """300 entries of one target, spread evenly over the table's time: the page (50 of them,
    newest first) is found through the target's index, not by walking the table newest first
    and testing each entry (which reaches 50 matches only halfway back)."""
    with connection.cursor() as cursor:
        cursor.execute(SPREAD, [ContentType.objects.get_for_model(Invoice).pk])
        cursor.execute(f"ANALYZE {TABLE}")
    response = assert_served_by_indexes(admin_user_client, {"q": "spread"})
    listed = response.context["cl"].result_list
    newest = AuditLog.objects.filter(target_id="spread").order_by("-created_at", "-id")[:50]
    assert list(listed) == list(newest)
    _response, statements = statements_of_page(admin_user_client, {"q": "spread"})
    for sql in statements:
        explained = plan(sql)
        assert "Index Scan Backward" not in explained, f"{sql}\n{explained}"
        if "COUNT(" not in sql and "LIMIT 1 OFFSET" not in sql:
            assert "audit_log_target_time" in explained, f"{sql}\n{explained}"
