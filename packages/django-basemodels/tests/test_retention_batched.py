"""``Retention(batched=True)`` and ``ReplaceAppendOnly``: the PostgreSQL retention function with
a ``max_rows`` argument, swapped in for the one-argument function and back (MariaDB's procedure:
django-audit-log's suites, which run it through ``prune()``)."""

from __future__ import annotations

import datetime

import pytest
from django.db import DataError, IntegrityError, ProgrammingError
from django.utils import timezone

from django_basemodels.exceptions import AppendOnlyDeclarationError
from django_basemodels.migration_ops import AppendOnly, ReplaceAppendOnly, Retention
from tests.test_migration_ops import LEDGER, PRUNE, TABLE, clerks, ledger, line, run, sql  # noqa: F401 (its fixtures)
from tests.testapp.models import Clerk, LedgerLine

BATCHED = AppendOnly(
    "ledgerline",
    rows="ledger lines",
    hint="Book a correcting line instead.",
    set_null=["clerk", "approver"],
    retention=Retention(function=PRUNE, field="booked_at", batched=True),
)
SWAP = ReplaceAppendOnly(LEDGER, BATCHED)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("batched", ["yes", 1, None])
def test_batched_must_be_a_bool(batched):
    with pytest.raises(AppendOnlyDeclarationError, match="expected True or False"):
        Retention(function="p", field="booked_at", batched=batched)


def test_batched_is_part_of_the_declaration():
    assert Retention(function="p", field="f") != Retention(function="p", field="f", batched=True)
    assert Retention(function="p", field="f", batched=True).deconstruct()[2] == {
        "function": "p",
        "field": "f",
        "batched": True,
    }


@pytest.mark.parametrize("declaration", ["ledger", AppendOnly("clerk", rows="clerks")])
def test_a_replacement_needs_two_declarations_of_one_model(declaration):
    with pytest.raises(AppendOnlyDeclarationError, match="expected"):
        ReplaceAppendOnly(LEDGER, declaration)


@pytest.mark.postgresql
@pytest.mark.usefixtures("ledger")
def test_the_batched_function_deletes_at_most_max_rows_the_oldest_first():
    run(SWAP)
    kept = LedgerLine.objects.get()
    clerk = Clerk.objects.first()
    now = timezone.now()
    old = [
        LedgerLine.objects.create(booked_by=clerk, amount=i, booked_at=now - days * DAY)
        for i, days in enumerate([300, 500, 400])
    ]
    cutoff = now - 30 * DAY
    assert sql(f"SELECT {PRUNE}(%s, 2)", [cutoff]) == [(2,)]
    assert set(LedgerLine.objects.values_list("pk", flat=True)) == {kept.pk, old[0].pk}
    assert sql(f"SELECT {PRUNE}(%s)", [cutoff]) == [(1,)]  # NULL, the default: all that is old
    assert list(LedgerLine.objects.values_list("pk", flat=True)) == [kept.pk]
    with pytest.raises(IntegrityError, match=r"DELETE on \w+ refused"):
        sql(f"DELETE FROM {TABLE}")
    with pytest.raises(DataError, match="expected at least 1 row a batch, or NULL"):
        sql(f"SELECT {PRUNE}(%s, 0)", [cutoff])


@pytest.mark.postgresql
@pytest.mark.usefixtures("ledger")
def test_the_replacement_reverses_to_the_one_argument_function():
    run(SWAP)
    run(SWAP, backwards=True)
    assert sql(f"SELECT {PRUNE}(now() - interval '1 day')") == [(0,)]
    with pytest.raises(ProgrammingError):
        sql(f"SELECT {PRUNE}(now() - interval '1 day', 5)")
    with pytest.raises(IntegrityError, match=r"DELETE on \w+ refused"):
        sql(f"DELETE FROM {TABLE}")
