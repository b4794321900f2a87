import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from django_audit_log import log_event
from django_audit_log.models import AuditLog
from django_audit_log.partitioning import is_partitioned, partitions

pytestmark = pytest.mark.django_db


def old_entry(days):
    moment = timezone.now() - datetime.timedelta(days=days)
    AuditLog.objects.bulk_create([AuditLog(action=f"old-{days}", created_at=moment)])


def test_prune_by_age_deletes_old_entries_and_logs_the_run():
    old_entry(400)
    old_entry(10)
    out = io.StringIO()
    call_command("prune_audit_log", "--older-than-days", "365", stdout=out)
    assert "Deleted 1 audit entries" in out.getvalue()
    assert sorted(AuditLog.objects.values_list("action", flat=True)) == [
        "audit_log.pruned",
        "old-10",
    ]


def test_prune_by_date():
    old_entry(400)
    cutoff = (timezone.now() - datetime.timedelta(days=100)).date().isoformat()
    call_command("prune_audit_log", "--before", cutoff, stdout=io.StringIO())
    run = AuditLog.objects.get(action="audit_log.pruned")
    assert run.metadata["deleted"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "yesterday"], "expected an ISO date"),
        (["--before", "2999-01-01"], "in the past"),
        (["--older-than-days", "0"], "expected a positive number"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_deleted(args, message):
    old_entry(400)
    with pytest.raises(CommandError, match=message):
        call_command("prune_audit_log", *args)
    assert AuditLog.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_prune_works_with_the_trigger_and_leaves_it_armed():
    old_entry(400)
    kept = log_event("kept")
    call_command("prune_audit_log", "--older-than-days", "30", stdout=io.StringIO())
    assert set(AuditLog.objects.values_list("action", flat=True)) == {"kept", "audit_log.pruned"}
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM django_audit_log_auditlog WHERE id = %s", [kept.pk])
    with connection.cursor() as cursor:  # the prune function left no pass open behind it
        cursor.execute("SELECT count(*) FROM django_audit_log_auditlog_retention_pass")
        assert cursor.fetchone()[0] == 0


def test_audit_log_partition_is_postgresql_only():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL it partitions: tests/test_partitioning.py")
    old_entry(10)
    with pytest.raises(CommandError, match=f"database 'default \\({connection.vendor}\\)'"):
        call_command("audit_log_partition")
    with pytest.raises(CommandError, match="expected PostgreSQL: elsewhere the table stays"):
        call_command("audit_log_partition", "--ahead", "1")
    assert AuditLog.objects.count() == 1  # the plain table, untouched
    assert not is_partitioned()
    assert partitions() == []
