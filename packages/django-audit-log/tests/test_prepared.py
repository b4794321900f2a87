"""PostgreSQL: a tracked save's statement is prepared when the connection allows it."""

import sys

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from django_audit_log import prepared
from django_audit_log.models import AuditLog
from tests.prepared_statements import prepare_threshold, prepared_statements
from tests.testapp.models import Account, Invoice

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

WRITER = "django_audit_log_write_entry"


@pytest.fixture(autouse=True)
def _warm_content_types():
    ContentType.objects.get_for_models(Invoice, Account, for_concrete_models=False)


@pytest.fixture
def allowed():
    """Prepared statements allowed from the first execution of a text."""
    yield from prepare_threshold(0)


def test_django_leaves_preparing_off_and_so_does_the_tracked_save():
    """Django sets psycopg's prepare_threshold to None unless OPTIONS names one, so that
    connection poolers keep working; the rewritten statement is then bound by the client."""
    assert connection.connection.prepare_threshold is None
    for number in ("N-1", "N-2", "N-3"):
        Invoice.objects.create(number=number)
    assert prepared_statements(WRITER) == []
    assert AuditLog.objects.filter(action="create").count() == 3


def test_allowed_the_statement_is_prepared_once_per_model_and_reused(allowed):
    invoices = [Invoice.objects.create(number=f"N-{n}") for n in range(3)]
    accounts = [Account.objects.create(name=f"a{n}", api_token="t") for n in range(3)]
    statements = prepared_statements(WRITER)
    # One statement per model (the UUID key is sent, the integer one returned), each run for
    # all three saves; the parameters are the server's ($1...), not values written into the text.
    assert sorted(runs for _, runs in statements) == [3, 3]
    texts = sorted(text for text, _ in statements)
    assert [text.split('"')[3] for text in texts] == ["testapp_account", "testapp_invoice"]
    assert all("$1" in text and "N-1" not in text for text in texts)
    entries = AuditLog.objects.filter(action="create").order_by("created_at", "id")
    assert [(e.target_id, e.target_repr) for e in entries] == [
        *((str(invoice.pk), str(invoice)) for invoice in invoices),
        *((str(account.pk), str(account)) for account in accounts),
    ]


def test_allowed_an_update_is_prepared_too(allowed):
    invoice = Invoice.objects.create(number="U-1")
    for customer in ("ACME", "Initech"):
        invoice.customer = customer
        invoice.save()
    (updates,) = [runs for text, runs in prepared_statements(WRITER) if "UPDATE" in text]
    assert updates == 2
    changes = [e.changes for e in AuditLog.objects.filter(action="update").order_by("created_at")]
    assert changes == [
        {"customer": {"old": "", "new": "ACME"}},
        {"customer": {"old": "ACME", "new": "Initech"}},
    ]


def test_allowed_a_failing_save_writes_neither_and_the_next_one_is_prepared_again(allowed):
    invoice = Invoice.objects.create(number="F-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice(pk=invoice.pk, number="F-2").save(force_insert=True)  # the key is taken
    assert Invoice.objects.get().number == "F-1"
    assert AuditLog.objects.filter(action="create").count() == 1
    Invoice.objects.create(number="F-3")
    assert AuditLog.objects.filter(action="create").count() == 2


class _Wrapper:
    """Stands for Django's CursorWrapper: what the tracked save hands to prepared.py."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.db = connection


def test_a_cursor_that_binds_on_the_server_already_is_kept(allowed):
    cursor = psycopg.Cursor(connection.connection)
    wrapper = _Wrapper(cursor)
    prepared.prepare_next_statement(wrapper)
    assert wrapper.cursor is cursor


def test_a_client_binding_cursor_is_swapped_and_closed(allowed):
    with connection.cursor() as django_cursor:
        original = django_cursor.cursor
        wrapper = _Wrapper(original)
        prepared.prepare_next_statement(wrapper)
    assert type(wrapper.cursor) is psycopg.Cursor
    assert wrapper.cursor.connection is connection.connection
    assert original.closed


def test_while_django_logs_queries_the_statement_stays_bound_by_the_client(
    allowed, django_assert_num_queries
):
    """The log shows the statement with its values, as it always did; a prepared execution
    sends no text that Django could show."""
    with django_assert_num_queries(1) as captured:
        Invoice.objects.create(number="L-1")
    (query,) = captured.captured_queries
    assert "'L-1'" in query["sql"]
    assert WRITER in query["sql"]
    assert prepared_statements(WRITER) == []


@pytest.fixture
def without_psycopg_3(monkeypatch):
    """``import psycopg`` fails, as where only psycopg 2 is installed."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    prepared._cursor_classes.cache_clear()
    yield
    prepared._cursor_classes.cache_clear()


def test_without_psycopg_3_nothing_changes(without_psycopg_3, allowed):
    assert prepared._cursor_classes() == (None, None)
    with connection.cursor() as django_cursor:
        wrapper = _Wrapper(django_cursor.cursor)
        prepared.prepare_next_statement(wrapper)
        assert wrapper.cursor is django_cursor.cursor
