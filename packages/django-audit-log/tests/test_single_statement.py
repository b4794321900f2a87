"""PostgreSQL: the row's own statement carries its entry (see single_statement)."""

import pytest

from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Invoice

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def entries(action=None):
    queryset = AuditLog.objects.order_by("created_at", "id")
    return list(queryset.filter(action=action) if action else queryset)


def test_single_statement_carries_the_entry_with_the_row(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        invoice = Invoice.objects.create(number="S-1")
    (query,) = captured.captured_queries
    assert query["sql"].startswith('WITH "audit_row" AS (INSERT INTO "testapp_invoice"')
    assert entries("create")[0].target_id == str(invoice.pk)


def test_update_of_a_vanished_row_logs_the_insert_only():
    invoice = Invoice.objects.create(number="V-1")
    pk = invoice.pk
    Invoice.objects.filter(pk=pk).delete()
    invoice.customer = "again"
    invoice.save()  # UPDATE matches nothing, so Django INSERTs: one "create", no "update"
    assert [e.action for e in entries() if e.target_id == str(pk)] == ["create", "delete", "create"]


def test_update_is_one_statement_too(django_assert_num_queries):
    invoice = Invoice.objects.create(number="U-1")
    invoice.customer = "ACME"
    with django_assert_num_queries(1) as captured:
        invoice.save()
    assert captured.captured_queries[0]["sql"].startswith('WITH "audit_row" AS (UPDATE')
    assert entries("update")[0].changes == {"customer": {"old": "", "new": "ACME"}}


def test_integer_key_updates_use_it_creates_do_not(django_assert_num_queries):
    with django_assert_num_queries(2):  # key unknown before the INSERT: a second INSERT
        account = Account.objects.create(name="ops")
    account.name = "ops2"
    with django_assert_num_queries(1):
        account.save()
    assert [e.action for e in entries()] == ["create", "update"]
