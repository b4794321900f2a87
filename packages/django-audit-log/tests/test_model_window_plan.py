"""PostgreSQL: "one model (and action) in a time window" is answered by
``audit_log_model_time`` (target content type, created_at), not by a scan of the entries table.

The entries span a month; one model has one entry in fifty, seven others share the rest. The
question asks for that model's entries of one week, with and without an action, newest first as
the admin lists them: the created_at index would walk the whole week's entries to find them.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from django_audit_log.models import AuditLog
from tests.test_admin_plans import buffers_touched, plan, scan_buffers

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = AuditLog._meta.db_table
ROWS = 30_000
INDEX = "audit_log_model_time"

LOAD = f"""
INSERT INTO {TABLE} (id, created_at, action, actor_display, target_content_type_id, target_id,
    target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), %s - i * interval '90 seconds',
    (ARRAY['create', 'update', 'delete', 'login'])[1 + (i / 50) %% 4], 'user' || (i %% 100),
    CASE WHEN i %% 50 = 0 THEN (%s::int[])[1] ELSE (%s::int[])[2 + i %% 7] END,
    'obj-' || (i %% 10000), 'Object ' || (i %% 10000), '{{}}', '{{}}', 'agent ' || (i %% 7),
    'req-' || i, 'normal', false, ''
FROM generate_series(1, {ROWS}) AS i
"""


@pytest.fixture
def month_of_entries():
    kinds = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:8])
    assert len(kinds) == 8
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(LOAD, [now, kinds, kinds])
        cursor.execute(f"ANALYZE {TABLE}")
    return kinds[0], now  # the rare one


def explained(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        sql = cursor.mogrify(sql, params)
    return sql, plan(sql)


def test_one_model_in_a_window_uses_its_index(month_of_entries):
    kind, now = month_of_entries
    week = (now - datetime.timedelta(days=17), now - datetime.timedelta(days=10))
    window = AuditLog.objects.filter(target_content_type_id=kind, created_at__range=week)
    for queryset in (window, window.filter(action="update")):
        sql, shown = explained(queryset.order_by("-created_at"))
        assert f"Seq Scan on {TABLE}" not in shown, shown
        assert INDEX in shown, shown
        assert buffers_touched(sql) < scan_buffers() / 2, shown
        # The answer is the one a scan would give (and not empty, so the plan is a real one).
        rows = list(queryset.values_list("target_content_type_id", "created_at", "action"))
        assert rows
        assert all(row[0] == kind and week[0] <= row[1] <= week[1] for row in rows)
