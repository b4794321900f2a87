import decimal
import math

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat, Upper

from django_audit_log.exceptions import TrackingError
from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Invoice, Plain

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture(autouse=True)
def _warm_content_types():
    for model in (Invoice, Account):
        ContentType.objects.get_for_model(model, for_concrete_model=False)


@pytest.fixture
def invoices():
    created = Invoice.objects.bulk_create(
        [Invoice(number=f"N-{i}", amount=decimal.Decimal(i)) for i in range(ROWS)]
    )
    return created


def updates():
    return list(AuditLog.objects.filter(action="update"))


def inserts(captured):
    return sum(q["sql"].startswith("INSERT") for q in captured.captured_queries)


def on_postgresql(queries, elsewhere):
    """PostgreSQL diffs in the UPDATE itself (update_statement): with the tests' seal key, that
    statement and the INSERT of the entries with their stamps."""
    return queries if connection.vendor == "postgresql" else elsewhere


def test_queryset_update_logs_one_entry_per_row_with_old_and_new(
    invoices, django_assert_num_queries
):
    # SELECT old values (FOR UPDATE on PostgreSQL) + the UPDATE + one INSERT, for any row count.
    with django_assert_num_queries(on_postgresql(2, 3)) as captured:
        count = Invoice.objects.filter(amount__lt=5).update(paid=True, customer="ACME")
    assert count == 5
    assert inserts(captured) == 1
    entries = updates()
    assert len(entries) == 5
    assert {e.target_id for e in entries} == {str(i.pk) for i in invoices[:5]}
    for entry in entries:
        assert entry.changes == {
            "paid": {"old": False, "new": True},
            "customer": {"old": "", "new": "ACME"},
        }
        assert entry.metadata == {"via": "QuerySet.update"}
    # Labelled by str() of the row as it is after the update, from the SELECT made anyway.
    assert {e.target_repr for e in entries} == {str(i) for i in invoices[:5]}


def test_queryset_update_labels_rows_as_they_are_afterwards(django_assert_num_queries):
    Invoice.objects.create(number="L-1")
    Invoice.objects.create(number="L-2")
    # As before: SELECT, UPDATE, SELECT of the computed values, one INSERT.
    with django_assert_num_queries(on_postgresql(2, 4)):
        Invoice.objects.filter(number__startswith="L-").update(number=Concat("number", Value("x")))
    assert sorted(e.target_repr for e in updates()) == ["Invoice L-1x", "Invoice L-2x"]


def test_queryset_update_with_an_expression_reads_new_values(invoices, django_assert_num_queries):
    with django_assert_num_queries(on_postgresql(2, 4)):  # + one SELECT of the computed values
        Invoice.objects.filter(amount__gte=10).update(amount=F("amount") + 1)
    assert sorted(e.changes["amount"]["new"] for e in updates()) == ["11.00", "12.00"]


def entry_inserts(rows):
    """INSERT statements for ``rows`` entries: one per database batch (SQLite caps the number
    of parameters per statement; PostgreSQL takes them all at once)."""
    fields = list(AuditLog._meta.concrete_fields)
    batch = connection.ops.bulk_batch_size(fields, [AuditLog()] * rows)
    return math.ceil(rows / batch)


def test_queryset_update_query_count_does_not_grow_with_rows(django_assert_num_queries):
    Invoice.objects.bulk_create([Invoice(number=str(i)) for i in range(200)])
    with django_assert_num_queries(on_postgresql(2, 2 + entry_inserts(200))):
        assert Invoice.objects.update(customer="all") == 200
    assert len(updates()) == 200


def test_queryset_update_of_untracked_fields_only_is_plain(django_assert_num_queries):
    Account.objects.create(name="a")
    with django_assert_num_queries(1):
        Account.objects.update(last_seen=None)
    assert not updates()


def test_queryset_update_skips_rows_that_did_not_change(invoices):
    Invoice.objects.filter(number="N-1").update(paid=False)
    assert updates() == []


def test_queryset_update_matching_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Invoice.objects.filter(number="none").update(paid=True) == 0


def test_related_manager_update_is_tracked(user):
    Invoice.objects.create(number="R-1")
    Invoice.objects.all().filter(number="R-1").update(customer="via chain")
    assert len(updates()) == 1


def test_bulk_create_logs_one_entry_per_row_in_one_insert(django_assert_num_queries):
    objs = [Invoice(number=f"B-{i}") for i in range(ROWS)]
    with django_assert_num_queries(2) as captured:  # the rows + the entries
        Invoice.objects.bulk_create(objs)
    assert inserts(captured) == 2
    entries = AuditLog.objects.filter(action="create")
    assert entries.count() == ROWS
    assert {e.target_id for e in entries} == {str(o.pk) for o in objs}
    assert {e.changes["number"]["new"] for e in entries} == {o.number for o in objs}


def test_bulk_create_with_integer_keys_and_redaction():
    accounts = Account.objects.bulk_create([Account(name="a", api_token="t0ps3cret")])
    (entry,) = AuditLog.objects.filter(action="create")
    assert entry.target_id == str(accounts[0].pk)
    assert entry.changes["api_token"]["new"] == "[redacted]"


@pytest.mark.parametrize("option", ["ignore_conflicts", "update_conflicts"])
def test_bulk_create_with_conflict_handling_is_refused(option):
    extra = (
        {"update_fields": ["customer"], "unique_fields": ["id"]}
        if option == "update_conflicts"
        else {}
    )
    with pytest.raises(TrackingError, match=r"testapp\.Invoice") as caught:
        Invoice.objects.bulk_create([Invoice(number="x")], **{option: True}, **extra)
    assert caught.value.model is Invoice
    assert not Invoice.objects.exists()


def test_bulk_update_of_loaded_objects_needs_no_select(invoices, django_assert_num_queries):
    loaded = list(Invoice.objects.order_by("number")[:4])
    for obj in loaded:
        obj.customer = "bulk"
        obj.paid = True
    with django_assert_num_queries(2) as captured:  # the UPDATE + one INSERT
        Invoice.objects.bulk_update(loaded, ["customer", "paid"])
    assert inserts(captured) == 1
    entries = updates()
    assert len(entries) == 4
    assert all(
        e.changes == {"customer": {"old": "", "new": "bulk"}, "paid": {"old": False, "new": True}}
        for e in entries
    )
    assert all(e.metadata == {"via": "bulk_update"} for e in entries)


def test_bulk_create_with_expressions_logs_the_stored_values(django_assert_num_queries):
    ContentType.objects.get_for_model(Invoice)
    objs = [Invoice(number="E-1", customer=Upper(Value("acme")))]
    with django_assert_num_queries(3):  # the INSERT, one SELECT of what was stored, one INSERT
        Invoice.objects.bulk_create(objs)
    (entry,) = AuditLog.objects.filter(action="create")
    assert entry.changes["customer"] == {"old": None, "new": "ACME"}


def test_bulk_update_with_expressions_logs_the_stored_values(invoices, django_assert_num_queries):
    loaded = list(Invoice.objects.filter(number__in=["N-1", "N-2"]).order_by("number"))
    for obj in loaded:
        obj.amount = F("amount") + 10
    with django_assert_num_queries(3):  # the UPDATE, one SELECT of what was stored, one INSERT
        Invoice.objects.bulk_update(loaded, ["amount"])
    changes = sorted((e.changes["amount"]["old"], e.changes["amount"]["new"]) for e in updates())
    assert changes == [("1.00", "11.00"), ("2.00", "12.00")]


def test_bulk_update_of_objects_not_loaded_reads_old_values_once(
    invoices, django_assert_num_queries
):
    fresh = [Invoice(pk=obj.pk, number=obj.number, customer="new") for obj in invoices]
    with django_assert_num_queries(3):  # one SELECT of old values + the UPDATE + one INSERT
        Invoice.objects.bulk_update(fresh, ["customer"])
    entries = updates()
    assert len(entries) == ROWS
    assert all(e.changes == {"customer": {"old": "", "new": "new"}} for e in entries)


def test_queryset_delete_logs_each_row_in_one_insert(invoices, django_assert_num_queries):
    # Django's collector reads the rows (tracked models have post_delete receivers), deletes
    # them, and the entries are batched into one INSERT.
    with django_assert_num_queries(3) as captured:
        deleted, _ = Invoice.objects.filter(amount__lt=6).delete()
    assert deleted == 6
    assert inserts(captured) == 1
    entries = AuditLog.objects.filter(action="delete")
    assert {e.target_id for e in entries} == {str(i.pk) for i in invoices[:6]}
    assert all(e.changes["number"]["new"] is None for e in entries)


def test_untracked_models_are_untouched(django_assert_num_queries):
    with django_assert_num_queries(1):
        Plain.objects.bulk_create([Plain(name="a"), Plain(name="b")])
    with django_assert_num_queries(1):
        Plain.objects.update(name="c")
    with django_assert_num_queries(1):
        Plain.objects.all().delete()
    assert not AuditLog.objects.exists()
