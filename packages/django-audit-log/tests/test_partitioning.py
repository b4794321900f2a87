"""PostgreSQL: the audit table partitioned by month (``manage.py audit_log_partition``).

Each test converts the table inside its own transaction, so the rollback at its end gives the
next test the plain table back. What is checked: the conversion keeps every entry, index,
foreign key, trigger and grant; the months ahead and the default partition; the key; and the
append-only refusals on the parent and on every partition by name. Retention, the second role,
sealing and the plans are in test_partitioning_retention.py.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from django_audit_log import log_event
from django_audit_log.exceptions import PartitioningError
from django_audit_log.models import AuditLog
from django_audit_log.partition_sql import next_month
from django_audit_log.partitioning import is_partitioned, partition_by_month, partitions
from django_basemodels.append_only_postgresql import flush_route_check
from tests.test_attacks_append_only import REFUSED, acting_as, app_role, sql
from tests.testapp.models import Invoice

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TABLE = AuditLog._meta.db_table
DEFAULT = f"{TABLE}_default"
__all__ = ["app_role"]  # a fixture, used below


def month_name(moment: datetime.datetime) -> str:
    return f"{TABLE}_y{moment.year:04d}m{moment.month:02d}"


def utc_now() -> datetime.datetime:
    return timezone.now().astimezone(datetime.timezone.utc)


def entry_at(moment: datetime.datetime, action: str = "old") -> AuditLog:
    (entry,) = AuditLog.objects.bulk_create([AuditLog(action=action, created_at=moment)])
    return entry


def months_from(start: datetime.date, count: int) -> list[datetime.date]:
    months = [start.replace(day=1)]
    while len(months) < count:
        months.append(next_month(months[-1]))
    return months


def expected_months(entries: list[AuditLog], ahead: int) -> list[str]:
    """The months that have entries, this month and the ``ahead`` next ones: no others."""
    coming = months_from(utc_now().date(), ahead + 1)
    months = {e.created_at.astimezone(datetime.timezone.utc).date().replace(day=1) for e in entries}
    return [f"{TABLE}_y{m.year:04d}m{m.month:02d}" for m in sorted(months | set(coming))]


@pytest.fixture
def entries(user):
    """Entries of three months ago, of last month and of now, one with an actor."""
    now = utc_now()
    made = [
        entry_at(now - datetime.timedelta(days=95), "ninety-five days ago"),
        entry_at(now - datetime.timedelta(days=35), "thirty-five days ago"),
        log_event("login", actor=user, metadata={"n": 1}),
    ]
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # the conversion alters the table
    return made


def stored(entries: list[AuditLog]) -> list[tuple]:
    rows = AuditLog.objects.filter(pk__in=[e.pk for e in entries]).order_by("created_at")
    return list(rows.values_list("id", "created_at", "action", "actor_id", "metadata", "stamp"))


def test_the_conversion_keeps_every_entry_and_makes_the_months(entries):
    before = stored(entries)
    run = partition_by_month(ahead=2)
    assert run.converted
    assert run.copied == 3
    assert is_partitioned()
    assert stored(entries) == before
    expected = expected_months(entries, ahead=2)
    assert len(expected) == 5  # two past months (no partition for the gap), this one, two ahead
    assert run.created == [*expected, DEFAULT]
    assert partitions() == [*expected, DEFAULT]
    # Each entry sits in its month's partition.
    for entry in entries:
        ((where,),) = sql(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [entry.id])
        assert where == month_name(entry.created_at.astimezone(datetime.timezone.utc))


def test_the_conversion_keeps_indexes_checks_keys_and_triggers(entries):
    def definition():
        indexes = sql(
            "SELECT indexrelid::regclass::text, regexp_replace(pg_get_indexdef(indexrelid), "
            "' ON (ONLY )?', ' ON ') FROM pg_index WHERE indrelid = %s::regclass "
            "AND NOT indisprimary ORDER BY 1",
            [TABLE],
        )
        constraints = sql(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY 1",
            [TABLE],
        )
        triggers = sql(
            "SELECT tgname, tgtype FROM pg_trigger WHERE tgrelid = %s::regclass "
            "AND NOT tgisinternal ORDER BY 1",
            [TABLE],
        )
        return indexes, constraints, triggers

    plain = definition()
    partition_by_month()
    assert definition() == plain
    assert len(plain[0]) == 8
    assert len(plain[2]) == 2
    (key,) = sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'p'",
        [TABLE],
    )
    assert key == (f"{TABLE}_pkey", "PRIMARY KEY (id, created_at)")
    insert = (
        f"INSERT INTO {TABLE} (id, created_at, action, actor_display, target_id, target_repr, "
        "changes, metadata, user_agent, request_id, sensitivity, is_system, stamp, actor_id) "
        "VALUES (gen_random_uuid(), now(), %s, '', '', '', '{}', '{}', '', '', 'normal', false, "
        "'', %s); SET CONSTRAINTS ALL IMMEDIATE"
    )
    # The actor's foreign key still holds, and so do the checks.
    with pytest.raises(IntegrityError, match="actor_id"):
        sql(insert, ["x", -1])
    with pytest.raises(IntegrityError, match="audit_log_action_not_empty"):
        sql(insert, ["", None])


def test_the_conversion_keeps_the_grants(app_role, user):
    partition_by_month()
    with acting_as(app_role):
        written = log_event("after the conversion", actor=user)
        assert AuditLog.objects.filter(pk=written.pk).exists()
        sql(f"UPDATE {TABLE} SET actor_id = NULL WHERE id = %s", [written.id])  # column grant
        assert AuditLog.objects.get(pk=written.pk).actor_id is None
        with pytest.raises(DatabaseError, match="permission denied"):
            sql(f"UPDATE {TABLE} SET action = 'forged'")


def test_a_second_run_adds_only_the_missing_months(entries):
    partition_by_month(ahead=1)
    assert partition_by_month(ahead=1).created == []
    this_month = utc_now().date().replace(day=1)
    later = months_from(this_month, 5)[2:]
    run = partition_by_month(ahead=4)
    assert not run.converted
    assert run.moved == 0
    assert run.created == [month_name(m) for m in later]  # ahead=1 had made the second one
    assert stored(entries)  # untouched


def test_no_insert_fails_and_a_waiting_month_moves_into_its_partition(entries):
    partition_by_month(ahead=0)
    later = utc_now() + datetime.timedelta(days=70)
    waiting = entry_at(later, "two months ahead")
    ((where,),) = sql(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [waiting.id])
    assert where == DEFAULT
    run = partition_by_month(ahead=0)  # not ahead: the month its entry waited in
    assert run.moved == 1
    assert run.created == [month_name(later)]
    ((where,),) = sql(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [waiting.id])
    assert where == month_name(later)
    assert sql(f"SELECT count(*) FROM {DEFAULT}") == [(0,)]
    assert AuditLog.objects.count() == 4


def test_an_id_is_unique_within_its_month(entries):
    partition_by_month()
    entry = entries[-1]
    with pytest.raises(IntegrityError, match="_id"):
        sql(
            f"INSERT INTO {TABLE} SELECT (jsonb_populate_record(NULL::{TABLE}, "
            f"to_jsonb(e) || jsonb_build_object('created_at', e.created_at + interval '1 "
            f"microsecond'))).* FROM {TABLE} e WHERE id = %s",
            [entry.id],
        )


# --- append-only on the parent and on every partition ------------------------------------------


def partition_statements() -> list[tuple[str, str]]:
    statements = [(TABLE, f"UPDATE {TABLE} SET action = 'forged'")]
    for name in [TABLE, *partitions()]:
        statements += [
            (name, f"UPDATE {name} SET action = 'forged'"),
            (name, f"DELETE FROM {name}"),
            (name, f"TRUNCATE {name}"),
        ]
    return statements


def test_every_partition_refuses_update_delete_and_truncate(entries):
    partition_by_month(ahead=1)
    far = entry_at(utc_now() + datetime.timedelta(days=400), "waited in the default partition")
    partition_by_month(ahead=2)  # months added later get the same guards
    assert partitions() == [*expected_months([*entries, far], ahead=2), DEFAULT]
    # A row in every partition: an UPDATE or DELETE that matches no row fires no row trigger.
    for name in partitions()[:-1]:
        year, month = int(name[-7:-3]), int(name[-2:])
        middle = datetime.datetime(year, month, 15, tzinfo=datetime.timezone.utc)
        entry_at(middle, f"in {name}")
    entry_at(utc_now() + datetime.timedelta(days=800), "in the default partition")
    counts = sql(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1")
    assert [name for name, _ in counts] == sorted(partitions())
    statements = partition_statements()
    assert len(statements) == 1 + 3 * (1 + len(partitions()))
    for name, statement in statements:
        operation = statement.split()[0]
        # Through the parent, the row triggers fire on the partition that holds the row.
        which = f"{TABLE}(_\\w+)?" if name == TABLE else name
        with pytest.raises(IntegrityError, match=f"{operation} on {which} {REFUSED}"):
            sql(statement)
    assert sql(f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1") == (
        counts
    )


def test_the_partitions_and_the_table_let_truncate_through_by_the_same_check(entries):
    """One text for the test-flush route, written by django_basemodels: the table's append-only
    function and the partitions' TRUNCATE function carry it the same, line for line."""
    partition_by_month(ahead=0)
    [(table_body,)] = sql("SELECT prosrc FROM pg_proc WHERE proname = %s", [f"{TABLE}_append_only"])
    [(partition_body,)] = sql(
        "SELECT prosrc FROM pg_proc WHERE proname = %s", [f"{TABLE}_partition_no_truncate"]
    )
    check = [line.strip() for line in flush_route_check().splitlines()]
    assert "RETURN NULL;" in check
    for body in (table_body, partition_body):
        lines = [line.strip() for line in body.splitlines()]
        start = lines.index(check[0])
        assert lines[start : start + len(check)] == check


def test_a_partition_made_by_hand_gets_its_truncate_trigger_on_the_next_run(entries):
    partition_by_month(ahead=0)
    by_hand = f"{TABLE}_y1990m01"
    sql(
        f"CREATE TABLE {by_hand} PARTITION OF {TABLE} "
        "FOR VALUES FROM ('1990-01-01 00:00+00') TO ('1990-02-01 00:00+00')"
    )
    entry_at(datetime.datetime(1990, 1, 10, tzinfo=datetime.timezone.utc), "by hand")
    with transaction.atomic():
        sql(f"TRUNCATE {by_hand}")  # the hole: PostgreSQL does not clone TRUNCATE triggers
        assert not AuditLog.objects.filter(action="by hand").exists()
        transaction.set_rollback(True)
    assert AuditLog.objects.filter(action="by hand").exists()
    assert partition_by_month(ahead=0).created == []
    with pytest.raises(IntegrityError, match=f"TRUNCATE on {by_hand} {REFUSED}"):
        sql(f"TRUNCATE {by_hand}")


def test_tracked_writes_land_in_this_months_partition(entries):
    partition_by_month()
    invoice = Invoice.objects.create(number="7")
    entry = AuditLog.objects.get(target_id=str(invoice.pk), action="create")
    ((where,),) = sql(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [entry.id])
    assert where == month_name(utc_now())


def test_set_null_still_passes_on_a_partition(entries, user):
    partition_by_month()
    user.delete()
    assert AuditLog.objects.get(pk=entries[-1].pk).actor_id is None


def test_a_foreign_key_to_the_entries_is_refused_by_name(entries):
    sql(f"CREATE TABLE audit_note (id int PRIMARY KEY, entry_id uuid REFERENCES {TABLE} (id))")
    with pytest.raises(PartitioningError, match=r"from \['audit_note'\] .* expected none"):
        partition_by_month()
    assert not is_partitioned()


def test_refused_where_it_cannot_run():
    with pytest.raises(PartitioningError, match="ahead -1 is not valid for partitioning"):
        partition_by_month(ahead=-1)
    with pytest.raises(PartitioningError, match="ahead True"):
        partition_by_month(ahead=True)
    role = f"audit_other_{uuid.uuid4().hex[:8]}"
    sql(f"CREATE ROLE {role} SUPERUSER NOLOGIN")
    with acting_as(role), pytest.raises(PartitioningError, match="expected the table's owner"):
        partition_by_month()
    assert not is_partitioned()


def test_the_command(entries, capsys):
    call_command("audit_log_partition", "--ahead", "1")
    out = capsys.readouterr().out
    assert "Partitioned the audit table by month (3 entries)." in out
    assert f"{month_name(utc_now())}, " in out
    assert out.rstrip().endswith(f"{DEFAULT}.")
    call_command("audit_log_partition", "--ahead", "1")
    assert capsys.readouterr().out == "Partitions created: none.\n"
    with pytest.raises(Exception, match="ahead 500 is not valid"):
        call_command("audit_log_partition", "--ahead", "500")
