"""Invariants under real concurrency: PostgreSQL, one connection per thread."""

import decimal

import pytest
from django.db.models import F

from django_audit_log import audit_context, log_event
from django_audit_log.models import AuditLog
from primitives_testkit import run_concurrently
from tests.testapp.models import Invoice

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]

THREADS = 16


def test_concurrent_writers_keep_their_own_context():
    def write(index):
        with audit_context(actor=f"worker-{index}", request_id=f"req-{index}"):
            return log_event("work.done", metadata={"index": index}).pk

    run = run_concurrently(write, threads=THREADS)
    assert run.errors == []
    entries = AuditLog.objects.filter(action="work.done")
    assert entries.count() == THREADS
    for entry in entries:
        index = entry.metadata["index"]
        assert entry.actor_display == f"worker-{index}"
        assert entry.request_id == f"req-{index}"


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "unsealed"])
def test_concurrent_tracked_updates_log_a_gapless_chain_of_old_and_new(sealed, settings):
    if not sealed:  # on PostgreSQL: the one-statement update (update_statement)
        settings.AUDIT_LOG_SEAL_KEY = None
    invoice = Invoice.objects.create(number="C-1", amount=decimal.Decimal(0))

    def bump(index):
        return Invoice.objects.filter(pk=invoice.pk).update(amount=F("amount") + 1)

    run = run_concurrently(bump, threads=THREADS)
    assert run.errors == []
    invoice.refresh_from_db()
    assert invoice.amount == THREADS
    pairs = sorted(
        (decimal.Decimal(e.changes["amount"]["old"]), decimal.Decimal(e.changes["amount"]["new"]))
        for e in AuditLog.objects.filter(action="update", target_id=str(invoice.pk))
    )
    # Each update read the old value under a row lock: no two entries claim the same "old".
    assert pairs == [(decimal.Decimal(i), decimal.Decimal(i + 1)) for i in range(THREADS)]


def test_concurrent_saves_each_write_exactly_one_entry():
    def create(index):
        return Invoice.objects.create(number=f"T-{index}").pk

    run = run_concurrently(create, threads=THREADS)
    assert run.errors == []
    logged = set(AuditLog.objects.filter(action="create").values_list("target_id", flat=True))
    assert logged == {str(pk) for pk in run.results}
