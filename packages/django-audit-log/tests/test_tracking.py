import datetime
import decimal
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from django_audit_log import audit_context
from django_audit_log.exceptions import InvalidSensitivityError
from django_audit_log.models import AuditLog
from django_audit_log.services import entry_row as _real_entry_row
from django_audit_log.values import jsonable
from tests.testapp.models import Account, Document, Folder, Invoice, Page, Plain, Ticket

pytestmark = pytest.mark.django_db


def entry_queries():
    """Queries an entry adds to a save: none on PostgreSQL, where the row's own statement
    carries it (see single_statement); one INSERT elsewhere."""
    return 0 if connection.vendor == "postgresql" else 1


def entries(action=None):
    queryset = AuditLog.objects.order_by("created_at", "id")
    return list(queryset.filter(action=action) if action else queryset)


@pytest.fixture(autouse=True)
def _warm_content_types():
    # A live process has these cached after the first entry; budgets below measure steady state.
    for model in (Invoice, Account, Document, Page):
        ContentType.objects.get_for_model(model, for_concrete_model=False)


def test_create_is_logged_with_every_tracked_field(user):
    with audit_context(actor=user):
        invoice = Invoice.objects.create(number="A-1", amount=decimal.Decimal("9.50"))
    (entry,) = entries()
    assert entry.action == "create"
    assert entry.actor == user
    assert entry.target_id == str(invoice.pk)
    assert entry.target_repr == "Invoice A-1"
    assert entry.changes == {
        "number": {"old": None, "new": "A-1"},
        "customer": {"old": None, "new": ""},
        "amount": {"old": None, "new": "9.50"},
        "paid": {"old": None, "new": False},
        "notes": {"old": None, "new": {}},
    }  # issued_on was left empty: None -> None is no change and is not recorded


def test_create_of_a_soft_deletable_model_records_no_empty_deleted_at():
    document = Document.objects.create(title="t")
    (entry,) = entries("create")
    assert entry.target_repr == str(document)
    assert set(entry.changes) == {"title", "created_at"}  # not deleted_at: None -> None
    assert entry.changes["title"] == {"old": None, "new": "t"}


def test_bulk_create_records_no_field_that_stays_empty():
    Invoice.objects.bulk_create([Invoice(number="B-1")])
    (entry,) = entries("create")
    assert "issued_on" not in entry.changes
    assert entry.changes["number"] == {"old": None, "new": "B-1"}


def test_delete_records_no_field_that_was_empty():
    document = Document.objects.create(title="t")
    document.hard_delete()
    (entry,) = entries("delete")
    assert set(entry.changes) == {"title", "created_at"}  # not deleted_at: None -> None
    assert entry.changes["title"] == {"old": "t", "new": None}


def test_update_diff_holds_only_changed_fields_without_a_select(django_assert_num_queries):
    invoice = Invoice.objects.create(number="A-1")
    invoice = Invoice.objects.get(pk=invoice.pk)
    invoice.paid = True
    invoice.issued_on = datetime.date(2025, 3, 1)
    with django_assert_num_queries(1 + entry_queries()) as captured:  # the model's own + entry
        invoice.save()
    statements = [q["sql"] for q in captured.captured_queries]
    assert "UPDATE" in statements[0]
    assert not any(sql.startswith("SELECT") for sql in statements)  # old values were remembered
    (entry,) = entries("update")
    assert entry.changes == {
        "paid": {"old": False, "new": True},
        "issued_on": {"old": None, "new": "2025-03-01"},
    }


def test_tracked_create_costs_one_query_more_than_plain(django_assert_num_queries):
    with django_assert_num_queries(1):
        Plain.objects.create(name="x")
    with django_assert_num_queries(1 + entry_queries()):
        Invoice.objects.create(number="A-1")
    assert len(entries("create")) == 1


def test_successive_saves_diff_against_the_last_save():
    invoice = Invoice.objects.create(number="A-1")
    invoice.customer = "ACME"
    invoice.save()
    invoice.customer = "Initech"
    invoice.save()
    changes = [entry.changes for entry in entries("update")]
    assert changes == [
        {"customer": {"old": "", "new": "ACME"}},
        {"customer": {"old": "ACME", "new": "Initech"}},
    ]


def test_in_place_change_of_a_json_field_is_seen():
    Invoice.objects.create(number="A-1", notes={"a": 1})
    invoice = Invoice.objects.get()
    invoice.notes["a"] = 2
    invoice.save()
    assert entries("update")[0].changes == {"notes": {"old": {"a": 1}, "new": {"a": 2}}}


def test_save_without_changes_writes_no_entry(django_assert_num_queries):
    Invoice.objects.create(number="A-1", amount=decimal.Decimal("5"))
    invoice = Invoice.objects.get()
    invoice.amount = "5.00"  # same value once read back
    with django_assert_num_queries(1):
        invoice.save()
    assert entries("update") == []


def test_update_fields_limits_the_diff():
    Invoice.objects.create(number="A-1")
    invoice = Invoice.objects.get()
    invoice.paid = True
    invoice.customer = "not saved"
    invoice.save(update_fields=["paid"])
    assert entries("update")[0].changes == {"paid": {"old": False, "new": True}}


def test_a_field_left_out_of_update_fields_is_logged_when_it_is_saved():
    """Only the fields written become the base of the next diff: a change kept in memory by
    ``update_fields`` is logged by the save that writes it."""
    invoice = Invoice.objects.create(number="A-1")
    invoice.customer = "ACME"
    invoice.paid = True
    invoice.save(update_fields=["customer"])
    invoice.save()
    first, second = entries("update")
    assert first.changes == {"customer": {"old": "", "new": "ACME"}}
    assert second.changes == {"paid": {"old": False, "new": True}}


def test_refresh_from_db_resets_the_remembered_values():
    invoice = Invoice.objects.create(number="A-1")
    Invoice.objects.filter(pk=invoice.pk).update(customer="elsewhere")
    invoice.refresh_from_db()
    invoice.customer = "here"
    invoice.save()
    assert entries("update")[-1].changes == {"customer": {"old": "elsewhere", "new": "here"}}


def test_refreshing_some_fields_keeps_the_others_unsaved_changes_in_the_diff():
    invoice = Invoice.objects.create(number="A-1")
    invoice.paid = True
    invoice.refresh_from_db(fields=["customer"])
    invoice.save()
    assert entries("update")[0].changes == {"paid": {"old": False, "new": True}}


def test_deferred_fields_are_left_out():
    Invoice.objects.create(number="A-1", customer="ACME")
    invoice = Invoice.objects.only("number").get()
    invoice.number = "A-2"
    invoice.save()
    assert entries("update")[0].changes == {"number": {"old": "A-1", "new": "A-2"}}


def test_unloaded_instance_update_logs_new_values_only():
    invoice = Invoice.objects.create(number="A-1")
    copy = Invoice(pk=invoice.pk, number="A-1", customer="ACME")
    copy._state.adding = False
    copy.save()
    assert entries("update")[0].changes["customer"] == {"new": "ACME"}


def test_delete_is_logged_with_the_old_values(django_assert_num_queries):
    invoice = Invoice.objects.create(number="A-1")
    invoice = Invoice.objects.get()
    pk = invoice.pk
    invoice.delete()
    (entry,) = entries("delete")
    assert entry.target_id == str(pk)
    assert entry.changes["number"] == {"old": "A-1", "new": None}


def test_excluded_auto_now_and_redacted_fields(user):
    account = Account.objects.create(name="ops", api_token="s3cr3t")
    account.last_seen = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    account.api_token = "n3w"
    account.save()
    created, updated = entries()
    assert set(created.changes) == {"name", "api_token"}  # last_seen excluded, updated_at auto_now
    assert created.changes["api_token"] == {"old": None, "new": "[redacted]"}
    assert updated.changes == {"api_token": {"old": "[redacted]", "new": "[redacted]"}}
    assert created.sensitivity == "high"


def test_hard_delete_of_a_soft_deletable_model_is_logged():
    document = Document.objects.create(title="t")
    pk = document.pk
    document.hard_delete()
    (entry,) = entries("delete")
    assert entry.target_id == str(pk)
    assert entry.changes["title"] == {"old": "t", "new": None}


def test_cascade_deletes_of_tracked_children_are_logged():
    folder = Folder.objects.create(name="f")
    Page.objects.bulk_create([Page(folder=folder, body=str(i)) for i in range(3)])
    folder.delete()
    assert sorted(e.changes["body"]["old"] for e in entries("delete")) == ["0", "1", "2"]


def _refused_entry(*args, **kwargs):
    """An entry the database refuses (its CHECK constraint on sensitivity); every path that
    writes an entry (the single statement and the second INSERT) builds its row here."""
    row, user = _real_entry_row(*args, **kwargs)
    row["sensitivity"] = "bogus"
    return row, user


# Refused by the database (the single statement) or, for an entry written by its own INSERT,
# by the entry's checks first: either way the row must go with it.
REFUSED = (IntegrityError, InvalidSensitivityError)


@pytest.mark.django_db(transaction=True)
def test_entry_is_written_in_the_same_transaction_as_the_save():
    with (
        mock.patch("django_audit_log.services.entry_row", side_effect=_refused_entry),
        pytest.raises(REFUSED),
    ):
        Invoice.objects.create(number="A-1")
    assert not Invoice.objects.exists()  # the row went with the refused entry
    with (
        mock.patch("django_audit_log.services.entry_row", side_effect=_refused_entry),
        pytest.raises(REFUSED),
    ):
        Account.objects.create(name="integer key, two INSERTs")
    assert not Account.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_entry_is_written_in_the_same_transaction_as_the_delete():
    invoice = Invoice.objects.create(number="A-1")
    pk = invoice.pk
    with (
        mock.patch("django_audit_log.services.write_entries", side_effect=RuntimeError("full")),
        pytest.raises(RuntimeError),
    ):
        invoice.delete()
    assert Invoice.objects.filter(pk=pk).exists()


def test_outer_rollback_takes_the_entries_with_it():
    def create_then_fail():
        with transaction.atomic():
            Invoice.objects.create(number="A-1")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        create_then_fail()
    assert not AuditLog.objects.exists()


def test_fixtures_loaded_with_loaddata_are_logged(tmp_path):
    fixture = tmp_path / "invoices.json"
    fixture.write_text(
        '[{"model": "testapp.invoice", "pk": "0190e0c0-0000-7000-8000-000000000001",'
        ' "fields": {"number": "F-1", "notes": {}}}]'
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert [e.target_repr for e in entries("create")] == ["Invoice F-1"]


def test_integer_key_create_writes_the_entry_in_the_same_transaction(django_assert_num_queries):
    # The key is known only after the INSERT: elsewhere than on PostgreSQL (where the INSERT
    # hands it to the entry in the same statement) the entry is a second INSERT, in one
    # transaction.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        account = Account.objects.create(name="ops")
    assert entries("create")[0].target_id == str(account.pk)


def test_a_save_nested_in_a_signal_handler_gets_its_own_entry():
    from django.db.models.signals import pre_save

    def also_save_another(sender, instance, **kwargs):
        if instance.number == "outer":
            Invoice.objects.create(number="inner")

    pre_save.connect(also_save_another, sender=Invoice)
    try:
        Invoice.objects.create(number="outer")
    finally:
        pre_save.disconnect(also_save_another, sender=Invoice)
    assert sorted(e.target_repr for e in entries("create")) == ["Invoice inner", "Invoice outer"]
    numbers = {e.target_repr: e.changes["number"]["new"] for e in entries("create")}
    assert numbers == {"Invoice inner": "inner", "Invoice outer": "outer"}


@pytest.mark.django_db(transaction=True)
def test_autocommit_update_is_atomic_with_its_entry():
    invoice = Invoice.objects.create(number="A-1")
    invoice.customer = "ACME"
    with (
        mock.patch("django_audit_log.services.entry_row", side_effect=_refused_entry),
        pytest.raises(REFUSED),
    ):
        invoice.save()
    assert Invoice.objects.get(pk=invoice.pk).customer == ""  # refused entry, unchanged row


def test_a_value_the_database_fills_in_is_logged_as_stored(django_assert_num_queries):
    """A ``db_default`` is decided by the INSERT: the entry holds the stored value, written after
    the row in its transaction (never the placeholder the instance held before the save)."""
    ContentType.objects.get_for_model(Ticket)
    with django_assert_num_queries(2):
        ticket = Ticket.objects.create(title="printer")
    (created,) = entries("create")
    assert isinstance(ticket.opened_at, datetime.datetime)
    assert created.changes["opened_at"] == {"old": None, "new": jsonable(ticket.opened_at)}


@pytest.mark.django_db(transaction=True)
def test_a_value_the_database_fills_in_is_logged_in_the_rows_transaction():
    with (
        mock.patch("django_audit_log.services.entry_row", side_effect=_refused_entry),
        pytest.raises(REFUSED),
    ):
        Ticket.objects.create(title="printer")
    assert not Ticket.objects.exists()


def test_an_expression_assigned_to_a_field_is_logged_as_stored(django_assert_num_queries):
    invoice = Invoice.objects.create(number="X-1", amount=decimal.Decimal("1.00"))
    invoice.amount = F("amount") + 1
    with django_assert_num_queries(3):  # the row, the value the database stored, the entry
        invoice.save()
    invoice.save()  # Django applies the expression again; the diff starts from what was stored
    first, second = entries("update")
    assert first.changes == {"amount": {"old": "1.00", "new": "2.00"}}
    assert second.changes == {"amount": {"old": "2.00", "new": "3.00"}}
