"""prune() in batches: each batch its own transaction (one call of the sanctioned route and the
entry that records it), the oldest entries first, resumable after an interruption, and
verification after it as clean as after a single-batch prune. Runs on every database."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from django_audit_log import log_event, prune, retention
from django_audit_log.exceptions import PruneBatchSizeError
from django_audit_log.models import AuditLog
from django_audit_log.sealing import seal
from django_audit_log.verification import verify

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.timedelta(days=1)


def old_entries(count):
    """``count`` entries, a day apart, the oldest 100 + count days ago."""
    now = timezone.now()
    AuditLog.objects.bulk_create(
        [
            AuditLog(action=f"old-{i}", created_at=now - (100 + count - i) * DAY)
            for i in range(count)
        ]
    )
    return now - 50 * DAY


def runs():
    return list(
        AuditLog.objects.filter(action="audit_log.pruned")
        .order_by("created_at", "id")
        .values_list("metadata", flat=True)
    )


def queries_per_batch(*, deletes):
    """What one recorded batch runs: BEGIN, the route's one statement (PostgreSQL, MariaDB) or
    on SQLite the batch's keys and the DELETE of them (none when there are no keys), the INSERT
    of the batch's record, COMMIT."""
    if connection.vendor in ("postgresql", "mysql"):
        return 4
    return 5 if deletes else 4


def test_batches_delete_the_oldest_first_and_record_each_batch(django_assert_num_queries):
    cutoff = old_entries(7)
    kept = log_event("recent")
    with django_assert_num_queries(3 * queries_per_batch(deletes=True)):
        assert prune(cutoff, batch_size=3) == 7
    assert [run["deleted"] for run in runs()] == [3, 3, 1]
    assert all(run["before"] == cutoff.isoformat() for run in runs())
    left = set(AuditLog.objects.values_list("action", flat=True))
    assert left == {"recent", "audit_log.pruned"}
    assert AuditLog.objects.filter(pk=kept.pk).exists()


def test_a_batch_that_fills_exactly_is_followed_by_one_empty_unrecorded_batch(
    django_assert_num_queries,
):
    cutoff = old_entries(4)
    # The empty batch runs the route (or reads no keys) and writes no record.
    empty = queries_per_batch(deletes=False) - 1
    with django_assert_num_queries(2 * queries_per_batch(deletes=True) + empty):
        assert prune(cutoff, batch_size=2) == 4
    assert [run["deleted"] for run in runs()] == [2, 2]


def test_nothing_to_delete_still_records_the_run_once(django_assert_num_queries):
    log_event("recent")
    with django_assert_num_queries(queries_per_batch(deletes=False)):
        assert prune(timezone.now() - DAY, batch_size=5) == 0
    assert [run["deleted"] for run in runs()] == [0]


def test_one_batch_when_batch_size_is_none():
    cutoff = old_entries(5)
    assert prune(cutoff, batch_size=None) == 5
    assert [run["deleted"] for run in runs()] == [5]


def test_an_interrupted_run_keeps_its_finished_batches_and_the_next_run_carries_on(monkeypatch):
    cutoff = old_entries(6)
    real = retention._delete_oldest
    calls = []

    def fails_on_the_second_batch(before, limit, using):
        calls.append(limit)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real(before, limit, using)

    monkeypatch.setattr(retention, "_delete_oldest", fails_on_the_second_batch)
    with pytest.raises(DatabaseError, match="connection lost"):
        prune(cutoff, batch_size=2)
    # The first batch is committed with its record: the two oldest entries are gone.
    left = sorted(AuditLog.objects.exclude(action="audit_log.pruned").values_list("action"))
    assert left == [("old-2",), ("old-3",), ("old-4",), ("old-5",)]
    assert [run["deleted"] for run in runs()] == [2]
    monkeypatch.setattr(retention, "_delete_oldest", real)
    assert prune(cutoff, batch_size=2) == 4
    assert not AuditLog.objects.exclude(action="audit_log.pruned").exists()
    assert [run["deleted"] for run in runs()] == [2, 2, 2]


def test_verification_after_a_batched_prune_is_as_clean_as_after_one_batch():
    for i in range(5):
        log_event(f"e{i}")
    entries = list(AuditLog.objects.order_by("created_at", "id"))
    seal()
    prune(entries[3].created_at, batch_size=1)  # three batches, three records
    result = verify()
    assert result.ok, result.findings
    assert (result.findings, result.pending) == ([], 3)  # only the three records are unsealed


def test_verification_after_an_interrupted_batched_prune_finds_nothing(monkeypatch):
    for i in range(4):
        log_event(f"e{i}")
    entries = list(AuditLog.objects.order_by("created_at", "id"))
    seal()
    real = retention._delete_oldest
    calls = []

    def fails_on_the_second_batch(before, limit, using):
        calls.append(limit)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real(before, limit, using)

    monkeypatch.setattr(retention, "_delete_oldest", fails_on_the_second_batch)
    with pytest.raises(DatabaseError):
        prune(entries[3].created_at, batch_size=1)
    assert AuditLog.objects.filter(pk=entries[0].pk).exists() is False
    result = verify()
    assert result.ok, result.findings
    assert result.pending == 1


@pytest.mark.parametrize("batch_size", [0, -5, 2.5, "100", True])
def test_a_bad_batch_size_is_refused_by_name(batch_size):
    cutoff = old_entries(2)
    with pytest.raises(PruneBatchSizeError, match=f"prune batch size {batch_size!r} is not"):
        prune(cutoff, batch_size=batch_size)
    assert AuditLog.objects.count() == 2


def test_the_command_takes_a_batch_size():
    old_entries(5)
    out = io.StringIO()
    call_command("prune_audit_log", "--older-than-days", "30", "--batch-size", "2", stdout=out)
    assert "Deleted 5 audit entries" in out.getvalue()
    assert [run["deleted"] for run in runs()] == [2, 2, 1]
    with pytest.raises(CommandError, match="prune batch size 0 is not valid"):
        call_command("prune_audit_log", "--older-than-days", "30", "--batch-size", "0")


@pytest.mark.postgresql
def test_the_function_refuses_a_batch_of_less_than_one_row():
    old_entries(1)
    refused = pytest.raises(DatabaseError, match="expected at least 1 row a batch, or NULL")
    with refused, connection.cursor() as cursor:
        cursor.execute("SELECT django_audit_log_prune(now() - interval '1 day', 0)")
    assert AuditLog.objects.count() == 1
