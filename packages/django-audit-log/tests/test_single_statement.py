"""PostgreSQL: the row's own statement carries its entry (see single_statement)."""

import datetime
import decimal
import json
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.models.signals import pre_save

from django_audit_log import audit_context, single_statement
from django_audit_log.models import AuditLog
from tests.prepared_statements import prepare_threshold
from tests.testapp.models import Account, Folder, Invoice, Page

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture(autouse=True, params=["bound by the client", "prepared"])
def _binding(request):
    """Every test runs twice: as Django connects by default (psycopg prepares nothing, each
    statement is planned afresh) and with prepared statements allowed from the first execution
    (prepare_threshold 0), which sends the rewritten statement with server-side binding."""
    yield from prepare_threshold(None if request.param == "bound by the client" else 0)


@pytest.fixture(autouse=True)
def _warm_content_types():
    """The query budgets below are those of a warm process: the content type of a tracked
    model is read once, on its first entry, and cached (run alone, this file starts cold)."""
    ContentType.objects.get_for_models(Invoice, Account, Page, for_concrete_models=False)


def entries(action=None):
    queryset = AuditLog.objects.order_by("created_at", "id")
    return list(queryset.filter(action=action) if action else queryset)


def test_single_statement_carries_the_entry_with_the_row(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        invoice = Invoice.objects.create(number="S-1")
    (query,) = captured.captured_queries
    assert query["sql"].startswith('WITH "audit_row" AS (INSERT INTO "testapp_invoice"')
    assert entries("create")[0].target_id == str(invoice.pk)


def test_the_entry_document_names_every_column_of_the_table():
    """The writer installed by migration 0004 matches the document's keys to the table's columns
    by name, and a column the document lacks would be NULL: a column added to the model must
    reach the document too."""
    invoice = Invoice.objects.create(number="D-1")
    document = single_statement._entry_document(invoice, "update", {"customer": {}})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [AuditLog._meta.db_table],
        )
        columns = {name for (name,) in cursor.fetchall()}
    assert set(json.loads(document)) == columns


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


def test_integer_key_creates_and_updates_are_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:  # the entry takes the key the INSERT returns
        account = Account.objects.create(name="ops", api_token="s3cret")
    assert captured.captured_queries[0]["sql"].startswith('WITH "audit_row" AS (INSERT')
    account.name = "ops2"
    with django_assert_num_queries(1):
        account.save()
    created, updated = entries()
    assert [created.action, updated.action] == ["create", "update"]
    assert created.target_id == updated.target_id == str(account.pk)
    assert (created.target_repr, updated.target_repr) == ("ops", "ops2")
    assert created.target == account
    assert created.changes == {
        "name": {"old": None, "new": "ops"},
        "api_token": {"old": None, "new": "[redacted]"},
    }
    assert created.sensitivity == "high"
    assert len(created.stamp) == 32


def test_a_label_that_shows_the_integer_key_gets_the_assigned_one(django_assert_num_queries):
    folder = Folder.objects.create(name="f")
    with django_assert_num_queries(2):  # one each; Page keeps Django's "Page object (<pk>)"
        first = Page.objects.create(folder=folder, body="a")
        second = Page.objects.create(folder=folder, body="b")
    labels = [e.target_repr for e in entries("create")]
    assert (
        labels
        == [str(first), str(second)]
        == [
            f"Page object ({first.pk})",
            f"Page object ({second.pk})",
        ]
    )


@pytest.mark.parametrize(
    "label",
    [
        lambda page: f"page #{page.pk:06d}",  # the key shown other than as str(pk)
        lambda page: f"page {page.pk % 100}",
        lambda page: "big" if page.pk > 10**9 else "small",
    ],
)
def test_a_label_not_made_of_str_pk_writes_the_entry_after_the_row(
    label, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(Page, "__str__", lambda page: str(label(page)) if page.pk else "new")
    folder = Folder.objects.create(name="f")
    with django_assert_num_queries(2):  # the row, then the entry (in its transaction)
        page = Page.objects.create(folder=folder, body="a")
    assert entries("create")[0].target_repr == str(page)


def test_a_label_longer_than_the_column_is_cut_as_in_python(monkeypatch):
    monkeypatch.setattr(Page, "__str__", lambda page: f"{'x' * 250}-{page.pk}-{'y' * 10}")
    page = Page.objects.create(folder=Folder.objects.create(name="f"), body="a")
    (entry,) = entries("create")
    assert entry.target_repr == str(page)[:255]


def test_only_the_instances_own_insert_is_rewritten(django_assert_num_queries):
    """A pre_save handler that creates another row of the same table first: that INSERT is
    not the one the entry may ride on (the key it returns is another row's)."""
    folder = Folder.objects.create(name="f")

    def add_sibling(sender, instance, **kwargs):
        if instance.body == "outer":
            Page.objects.bulk_create([Page(folder=folder, body="sibling")])

    pre_save.connect(add_sibling, sender=Page)
    try:
        outer = Page.objects.create(folder=folder, body="outer")
    finally:
        pre_save.disconnect(add_sibling, sender=Page)
    by_target = {e.target_id: e for e in entries("create")}
    assert by_target[str(outer.pk)].changes["body"] == {"old": None, "new": "outer"}
    assert len(by_target) == 2


def test_the_carried_entry_holds_every_column_of_the_context(user):
    """The single statement builds the entry's values itself (no AuditLog instance, no field
    preparation): each column must still hold what an entry written by log() holds."""
    context = {"ip_address": "2001:db8::7", "user_agent": "UA/1", "source": "import"}
    with audit_context(actor=user, request_id="r-42", **context):
        invoice = Invoice.objects.create(
            number="C-1", amount=decimal.Decimal("12.50"), issued_on=datetime.date(2025, 3, 1)
        )
        invoice.notes = {"tags": ["a"], "api_key": "k"}
        invoice.save()
        account = Account.objects.create(name="ops")
        account.api_token = "s3cret"
        account.save()  # an update: carried by the statement, and redacted
    created, updated, _, account_update = entries()
    assert created.actor_id == user.pk
    assert created.actor_display == user.get_username()
    assert (created.ip_address, created.user_agent, created.request_id) == (
        "2001:db8::7",
        "UA/1",
        "r-42",
    )
    assert created.metadata == {"source": "import"}
    assert created.is_system is False
    assert created.sensitivity == "normal"
    assert created.target_repr == "Invoice C-1"
    assert created.target_content_type == ContentType.objects.get_for_model(Invoice)
    assert created.target_id == str(invoice.pk)
    assert created.target == invoice
    assert created.changes["amount"] == {"old": None, "new": "12.50"}
    assert created.changes["issued_on"] == {"old": None, "new": "2025-03-01"}
    assert created.id.version == 7
    assert created.created_at <= updated.created_at
    # A secret-named key inside a JSONField's document is masked too.
    assert updated.changes == {
        "notes": {"old": {}, "new": {"tags": ["a"], "api_key": "[redacted]"}}
    }
    # The carried entries are stamped like any other.
    assert len(created.stamp) == len(updated.stamp) == 32
    assert account_update.sensitivity == "high"
    assert account_update.changes == {"api_token": {"old": "[redacted]", "new": "[redacted]"}}


def test_an_empty_ip_address_in_the_context_is_no_address():
    with audit_context(ip_address=""):
        Invoice.objects.create(number="E-1")
    assert entries("create")[0].ip_address is None


def test_the_document_takes_uuid_keys_as_text_and_refuses_other_objects():
    """A user model's UUID key reaches the document as text; anything else JSON has no form of
    is a programming error, not an entry stored with its repr()."""
    key = uuid.UUID(int=1)
    assert single_statement._encode({"actor_id": key}) == f'{{"actor_id":"{key}"}}'
    with pytest.raises(TypeError, match="cannot hold"):
        single_statement._encode({"actor_id": object()})


def test_an_expression_assigned_to_a_field_leaves_the_entry_to_its_own_insert(
    django_assert_num_queries,
):
    """The database computes the value: the entry, built before the statement runs, could not
    hold it, so it is written after the row (and a read of the stored value), in the row's
    transaction."""
    invoice = Invoice.objects.create(number="X-1", amount=decimal.Decimal("1.00"))
    invoice.amount = F("amount") + 1
    with django_assert_num_queries(3) as captured:
        invoice.save()
    row, read, entry = (query["sql"] for query in captured.captured_queries)
    assert row.startswith('UPDATE "testapp_invoice"')
    assert read.startswith('SELECT "testapp_invoice"."amount"')
    assert entry.startswith('INSERT INTO "django_audit_log_auditlog"')


def test_rows_the_row_statement_returns_are_passed_on():
    invoice = Invoice.objects.create(number="R-1")
    invoice.customer = "ACME"
    table = connection.ops.quote_name(Invoice._meta.db_table)
    update = f'UPDATE {table} SET "customer" = %s WHERE {table}."id" = %s RETURNING "number"'
    carrier = single_statement.carrier(invoice, "default", None)
    assert carrier is not None
    with carrier, connection.cursor() as cursor:
        cursor.execute(update, ["ACME", invoice.pk])
        assert cursor.fetchall() == [("R-1",)]
    assert entries("update")[0].changes == {"customer": {"old": "", "new": "ACME"}}
