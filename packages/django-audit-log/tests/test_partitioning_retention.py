"""PostgreSQL, the partitioned audit table: retention drops whole months through the one
sanctioned route, a second role cannot drop or detach anything, sealing verifies across
partitions and after a dropped month, and the admin and the auditors' queries keep their plans.

Like test_partitioning.py, every test converts the table inside its own transaction.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from django_audit_log import log_event
from django_audit_log.models import AuditLog
from django_audit_log.partitioning import partition_by_month, partitions
from django_audit_log.retention import PRUNE_FUNCTION, prune
from django_audit_log.sealing import seal
from django_audit_log.verification import verify
from tests.test_admin_plans import plan
from tests.test_admin_queries import PAGES, URL, entries
from tests.test_attacks_append_only import REFUSED, acting_as, app_role, sql
from tests.test_partitioning import DEFAULT, TABLE, entry_at, month_name, utc_now

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]
__all__ = ["app_role", "entries"]  # fixtures, used below

SIGNATURE = f"{PRUNE_FUNCTION}(timestamp with time zone, integer)"


def month_start(months_back: int) -> datetime.datetime:
    moment = utc_now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months_back):
        moment = (moment - datetime.timedelta(days=1)).replace(day=1)
    return moment


@pytest.fixture
def history():
    """Two entries in each of the four months before this one, converted to partitions."""
    made = {
        back: [
            entry_at(month_start(back) + datetime.timedelta(days=day), f"m-{back}")
            for day in (2, 20)
        ]
        for back in (4, 3, 2, 1)
    }
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    partition_by_month(ahead=1)
    return made


def pruned_records() -> list[dict]:
    return list(
        AuditLog.objects.filter(action="audit_log.pruned")
        .order_by("created_at")
        .values_list("metadata", flat=True)
    )


def test_prune_drops_the_whole_months_before_the_cutoff(history):
    cutoff = month_start(2) + datetime.timedelta(days=10)  # inside the month two back
    assert prune(cutoff) == 5  # two months dropped (4 entries), one entry deleted
    names = partitions()
    assert month_name(month_start(4)) not in names
    assert month_name(month_start(3)) not in names
    assert month_name(month_start(2)) in names
    assert names[-1] == DEFAULT
    left = set(AuditLog.objects.exclude(action="audit_log.pruned").values_list("action", flat=True))
    assert left == {"m-2", "m-1"}
    assert AuditLog.objects.filter(action="m-2").count() == 1
    assert pruned_records() == [{"before": cutoff.isoformat(), "deleted": 5}]


def test_prune_in_batches_drops_months_and_then_deletes_rows(history):
    cutoff = month_start(1) + datetime.timedelta(days=10)
    assert prune(cutoff, batch_size=1) == 7  # three months dropped, then one row a batch
    assert [r["deleted"] for r in pruned_records()] == [7]  # 6 + 1: the next batch found none
    assert partitions()[0] == month_name(month_start(1))


def test_a_month_is_dropped_only_once_the_cutoff_is_past_its_end(history):
    assert prune(month_start(3)) == 2
    assert month_name(month_start(3)) in partitions()  # its end is not before the cutoff
    assert prune(month_start(3)) == 0


def test_migrating_back_and_forth_keeps_the_guards_and_the_cutoff(history):
    executor = MigrationExecutor(connection)
    (latest,) = executor.loader.graph.leaf_nodes("django_audit_log")
    executor.migrate([("django_audit_log", "0009_model_time_index")])
    MigrationExecutor(connection).migrate([latest])
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    holding = [name for (name,) in sql(f"SELECT DISTINCT tableoid::regclass::text FROM {TABLE}")]
    statements = [f"DELETE FROM {name}" for name in [TABLE, *holding]]
    statements += [f"TRUNCATE {name}" for name in [TABLE, *partitions()]]
    assert len(statements) == 2 + 4 + len(partitions())
    for statement in statements:
        with pytest.raises(IntegrityError, match=REFUSED):
            sql(statement)
    # The migrations installed the plain table's prune function: it deletes rows, not months,
    # and only rows older than the cutoff, though the first row of every partition has the
    # same ctid as the first of every other.
    assert prune(month_start(2)) == 4
    assert month_name(month_start(4)) in partitions()
    left = AuditLog.objects.exclude(action="audit_log.pruned").values_list("action", flat=True)
    assert sorted(left) == ["m-1", "m-1", "m-2", "m-2"]
    partition_by_month(ahead=1)  # the months' function again: the emptied months go
    assert prune(month_start(2)) == 0
    assert month_name(month_start(4)) not in partitions()
    assert month_name(month_start(2)) in partitions()


# --- a second role, with the documented GRANTs ----------------------------------------------------


def careless_grants(role: str) -> None:
    """The documented GRANTs re-run after the conversion, and more: every table privilege and
    CREATE in the schema (so that only ownership is left to refuse)."""
    sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
    sql(f"GRANT CREATE ON SCHEMA public TO {role}")


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE {old}",
        "ALTER TABLE {table} DETACH PARTITION {old}",
        "ALTER TABLE {old} DISABLE TRIGGER USER",
        "ALTER TABLE {old} RENAME TO gone",
        "CREATE TABLE {table}_y1999m01 PARTITION OF {table} "
        "FOR VALUES FROM ('1999-01-01') TO ('1999-02-01')",
        "DROP TRIGGER {table}_no_truncate ON {old}",
        "CREATE TABLE {table}_mine (LIKE {table}); ALTER TABLE {table} ATTACH PARTITION "
        "{table}_mine FOR VALUES FROM ('1999-01-01') TO ('1999-02-01')",
    ],
)
def test_the_application_role_cannot_drop_or_detach_a_month(history, app_role, statement):
    careless_grants(app_role)
    old = month_name(month_start(4))
    with acting_as(app_role), pytest.raises(DatabaseError, match="must be owner"):
        sql(statement.format(table=TABLE, old=old))
    assert AuditLog.objects.filter(action="m-4").count() == 2


@pytest.mark.parametrize("statement", ["DELETE FROM {old}", "TRUNCATE {old}", "TRUNCATE {table}"])
def test_a_careless_grant_still_meets_the_triggers_on_a_month(history, app_role, statement):
    careless_grants(app_role)
    old = month_name(month_start(4))
    with acting_as(app_role), pytest.raises(IntegrityError, match=REFUSED):
        sql(statement.format(table=TABLE, old=old))
    assert AuditLog.objects.filter(action="m-4").count() == 2


def test_the_application_role_drops_months_only_through_the_function(history, app_role):
    cutoff = month_start(2)
    with acting_as(app_role), pytest.raises(DatabaseError, match="permission denied"):
        prune(cutoff)  # not granted yet
    sql(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {app_role}")  # the grant survived the swap
    with acting_as(app_role):
        assert prune(cutoff) == 4
    assert month_name(month_start(4)) not in partitions()
    assert pruned_records() == [{"before": cutoff.isoformat(), "deleted": 4}]


def test_the_prune_function_keeps_its_grant_and_refusals(history, app_role):
    sql(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {app_role}")
    partition_by_month(ahead=2)  # replaces the function again
    with acting_as(app_role):
        with pytest.raises(DatabaseError, match="expected a cutoff in the past"):
            sql(f"SELECT {PRUNE_FUNCTION}(now() + interval '1 day')")
        with pytest.raises(DatabaseError, match="expected at least 1 row a batch"):
            sql(f"SELECT {PRUNE_FUNCTION}(now() - interval '1 day', 0)")
        assert sql(f"SELECT {PRUNE_FUNCTION}(%s)", [month_start(3)]) == [(2,)]


# --- sealing ---------------------------------------------------------------------------------


def test_sealing_verifies_across_months_and_after_a_dropped_one(history):
    log_event("now")
    run = seal()
    assert run.sealed == 9
    assert not run.refused
    assert verify().ok
    prune(month_start(2))  # drops the two oldest months, records the cut-off
    result = verify()
    assert result.ok, result.findings
    assert result.sealed == 9
    assert result.pending == 1


def test_a_month_dropped_behind_prune_is_reported(history):
    seal()
    sql(f"DROP TABLE {month_name(month_start(3))}")  # the owner, by hand: no record
    result = verify()
    assert [f.kind for f in result.findings] == ["deleted", "deleted"]
    assert {f.entry_id for f in result.findings} == {e.id for e in history[3]}


# --- the admin and the plans -------------------------------------------------------------------


@pytest.mark.parametrize("page", list(PAGES))
def test_admin_pages_cost_the_same_on_the_partitioned_table(
    page, entries, admin_user_client, django_assert_num_queries
):
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    partition_by_month()
    params, budget = PAGES[page]
    if params is None:
        params = {"q": AuditLog.objects.first().target_id}
    with django_assert_num_queries(budget):
        response = admin_user_client.get(URL, params)
    assert response.status_code == 200
    assert response.context["cl"].result_list


def test_change_view_on_the_partitioned_table(entries, admin_user_client):
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    partition_by_month()
    entry = AuditLog.objects.first()
    response = admin_user_client.get(f"{URL}{entry.pk}/change/")
    assert response.status_code == 200
    assert entry.action in response.content.decode()


LOAD = f"""
INSERT INTO {TABLE} (id, created_at, action, actor_id, actor_display, target_content_type_id,
    target_id, target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system,
    stamp)
SELECT gen_random_uuid(), %s - i * interval '4 minutes',
    (ARRAY['create', 'update', 'delete', 'export'])[1 + i %% 4],
    CASE WHEN i %% 100 = 0 THEN %s END, '', %s, 'obj-' || (i %% 5000), '', '{{}}', '{{}}', '',
    'req-' || i, 'normal', false, ''
FROM generate_series(1, 30000) AS i
"""


@pytest.fixture
def three_months(user):
    """30,000 entries, one every four minutes over the last 83 days, then partitioned."""
    kind = ContentType.objects.get_for_model(AuditLog).pk
    now = utc_now()
    with connection.cursor() as cursor:
        cursor.execute(LOAD, [now, user.pk, kind])
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    partition_by_month()
    sql(f"ANALYZE {TABLE}")
    return kind, now


def scanned_partitions(shown: str) -> set[str]:
    return {name for name in partitions() if f" on {name} " in shown or f" on {name}\n" in shown}


def scanned_sequentially(shown: str) -> set[str]:
    """Partitions with entries that the plan reads whole (an empty one is read in no time)."""
    rows = sql(f"SELECT DISTINCT tableoid::regclass::text FROM {TABLE}")
    return {name for (name,) in rows if f"Seq Scan on {name} " in shown}


def explained(queryset) -> str:
    statement, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        return plan(cursor.mogrify(statement, params))


def test_a_time_window_reads_only_its_months(three_months):
    _, now = three_months
    week = (now - datetime.timedelta(days=40), now - datetime.timedelta(days=33))
    shown = explained(AuditLog.objects.filter(created_at__range=week).order_by("-created_at")[:50])
    expected = {month_name(moment) for moment in week}
    assert scanned_partitions(shown + "\n") == expected, shown
    assert not scanned_sequentially(shown), shown


def test_the_auditors_questions_use_their_indexes(three_months, user):
    kind, now = three_months
    window = (now - datetime.timedelta(days=20), now - datetime.timedelta(days=13))
    questions = {
        "history of one record": AuditLog.objects.filter(
            target_content_type_id=kind, target_id="obj-42"
        ).order_by("-created_at"),
        "what did this person do": AuditLog.objects.filter(actor=user, created_at__range=window),
        "all exports in a window": AuditLog.objects.filter(
            action="export", created_at__range=window
        ),
    }
    for question, queryset in questions.items():
        shown = explained(queryset)
        assert not scanned_sequentially(shown), (question, shown)
        assert "Index" in shown, (question, shown)
        assert queryset.exists(), question
        if "window" in question or "person" in question:
            assert scanned_partitions(shown + "\n") == {month_name(m) for m in window}, shown
