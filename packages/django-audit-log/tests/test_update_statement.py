"""PostgreSQL: a tracked QuerySet.update() diffs and logs its rows in one statement
(update_statement), writing the same entries as the Python path does."""

import datetime
import decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat, Upper
from django.test.utils import CaptureQueriesContext

from django_audit_log import audit_context, labels, stamps, update_statement
from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Chapter, Document, Folder, Invoice, Page, Sticker

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

KEY = "tests-only-seal-key-0123456789abcdef"

# Compared between the two paths: everything but the entry's own id and time.
COMPARED = (
    "action",
    "actor_id",
    "actor_display",
    "target_content_type_id",
    "target_repr",
    "changes",
    "metadata",
    "ip_address",
    "user_agent",
    "request_id",
    "sensitivity",
    "is_system",
)


@pytest.fixture(autouse=True)
def _unsealed_and_warm(settings):
    # Without a seal key everything is one statement; tests that set one say so.
    settings.AUDIT_LOG_SEAL_KEY = None
    ContentType.objects.get_for_models(Invoice, Account, Page, Sticker, for_concrete_models=False)
    labels._cache.clear()  # tests below change __str__
    yield
    labels._cache.clear()


def updates():
    return list(AuditLog.objects.filter(action="update").order_by("created_at", "id"))


def make_invoices(prefix, rows=4):
    return Invoice.objects.bulk_create(
        [
            Invoice(
                number=f"{prefix}{i}",
                amount=decimal.Decimal(i),
                customer=f"c{i % 2}",
                issued_on=datetime.date(2025, 1, 1 + i % 28),
            )
            for i in range(rows)
        ]
    )


@pytest.mark.parametrize("rows", [1, 100])
def test_the_update_and_its_entries_are_one_statement(rows, django_assert_num_queries):
    make_invoices("N-", rows)
    with django_assert_num_queries(1) as captured:
        assert Invoice.objects.filter(number__startswith="N-").update(paid=True) == rows
    assert captured.captured_queries[0]["sql"].startswith('WITH "audit_old" AS (SELECT')
    entries = updates()
    assert len(entries) == rows
    assert all(e.changes == {"paid": {"old": False, "new": True}} for e in entries)
    assert all(e.metadata == {"via": "QuerySet.update"} for e in entries)
    assert all(e.id.version == 7 for e in entries)
    assert len({e.id for e in entries}) == rows


def test_rows_that_did_not_change_and_updates_that_match_nothing_log_nothing(
    django_assert_num_queries,
):
    make_invoices("U-")
    with django_assert_num_queries(1):
        assert Invoice.objects.filter(customer="c0").update(customer="c0") == 2
    with django_assert_num_queries(1):
        assert Invoice.objects.filter(number="none").update(paid=True) == 0
    with django_assert_num_queries(0):
        assert Invoice.objects.none().update(paid=True) == 0
    assert updates() == []


def entries_of(run, prefix, *, python_path, monkeypatch, make=make_invoices):
    """The entries ``run(prefix)`` writes, on the statement or on the Python path, as
    comparable dicts keyed by the row's label."""
    make(prefix)
    with monkeypatch.context() as patch:
        if python_path:
            patch.setattr(update_statement, "applies", lambda *args: False)
        before = {e.pk for e in AuditLog.objects.all()}
        run(prefix)
    written = [e for e in AuditLog.objects.order_by("created_at", "id") if e.pk not in before]
    return {
        e.target_repr.replace(prefix, "*"): {
            **{name: getattr(e, name) for name in COMPARED},
            "target_repr": e.target_repr.replace(prefix, "*"),
            "changes": _without_prefix(e.changes, prefix),
        }
        for e in written
    }


def _without_prefix(value, prefix):
    if isinstance(value, dict):
        return {k: _without_prefix(v, prefix) for k, v in value.items()}
    return value.replace(prefix, "*") if isinstance(value, str) else value


OPERATIONS = {
    "values": lambda p: Invoice.objects.filter(number__startswith=p, amount__lt=3).update(
        paid=True, customer="ACME", amount="2.5", issued_on=datetime.date(2025, 3, 1)
    ),
    "expressions": lambda p: Invoice.objects.filter(number__startswith=p).update(
        amount=F("amount") + 1, number=Concat("number", Value("x")), customer=Upper("customer")
    ),
    "to null": lambda p: Invoice.objects.filter(number__startswith=p).update(issued_on=None),
    "some unchanged": lambda p: Invoice.objects.filter(number__startswith=p).update(customer="c1"),
    # Quotes, backslashes, a line break and non-ASCII text in the changes and in the label,
    # which travel back to the database as JSON text with a seal key.
    "awkward text": lambda p: Invoice.objects.filter(number__startswith=p).update(
        customer='say "hi" \\ back\nslash \u00fc \u20ac',
        number=Concat("number", Value('"q\\')),
    ),
}


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_entries_equal_those_of_the_python_path(operation, sealed, monkeypatch, settings, user):
    if sealed:
        settings.AUDIT_LOG_SEAL_KEY = KEY
    run = OPERATIONS[operation]
    with audit_context(actor=user, request_id="r-1", ip_address="10.0.0.9", user_agent="UA"):
        database = entries_of(run, "D-", python_path=False, monkeypatch=monkeypatch)
        python = entries_of(run, "P-", python_path=True, monkeypatch=monkeypatch)
    assert database == python
    assert database  # the operations do change rows
    first = next(iter(database.values()))
    assert (first["actor_id"], first["request_id"], first["ip_address"]) == (
        user.pk,
        "r-1",
        "10.0.0.9",
    )


def test_secret_fields_are_masked_and_labels_of_integer_keys_match(monkeypatch):
    def make(prefix):
        Account.objects.create(name=f"{prefix}a", api_token="old")
        Account.objects.create(name=f"{prefix}b", api_token="")

    def run(prefix):
        Account.objects.filter(name__startswith=prefix).update(
            api_token="new", name=Concat("name", Value("!"))
        )

    database = entries_of(run, "D-", python_path=False, monkeypatch=monkeypatch, make=make)
    python = entries_of(run, "P-", python_path=True, monkeypatch=monkeypatch, make=make)
    assert database == python
    assert database["*a!"]["changes"]["api_token"] == {"old": "[redacted]", "new": "[redacted]"}
    assert database["*a!"]["sensitivity"] == "high"


def test_foreign_keys_and_django_default_labels(django_assert_num_queries):
    folder, other = Folder.objects.create(name="f"), Folder.objects.create(name="g")
    page = Page.objects.create(folder=folder, body="a")
    sticker = Sticker.objects.create(folder=folder, label="s")
    with django_assert_num_queries(1):
        Page.objects.filter(pk=page.pk).update(folder=other)
    with django_assert_num_queries(1):
        Sticker.objects.filter(pk=sticker.pk).update(folder=None)
    page_entry, sticker_entry = updates()
    assert page_entry.target_repr == str(page) == f"Page object ({page.pk})"
    assert page_entry.changes == {"folder": {"old": folder.pk, "new": other.pk}}
    assert page_entry.target_id == str(page.pk)
    assert sticker_entry.changes == {"folder": {"old": folder.pk, "new": None}}


def test_a_label_the_database_cannot_make_keeps_the_python_path(
    monkeypatch, django_assert_num_queries
):
    def described(invoice):
        return invoice.number.title()

    monkeypatch.setattr(Invoice, "__str__", described)
    make_invoices("l-")
    with django_assert_num_queries(3):  # SELECT ... FOR UPDATE, UPDATE, INSERT
        Invoice.objects.filter(number__startswith="l-").update(paid=True)
    assert sorted(e.target_repr for e in updates()) == ["L-0", "L-1", "L-2", "L-3"]


def test_a_replaced_str_is_noticed_once_the_label_was_worked_out(monkeypatch):
    make_invoices("r-", rows=2)
    Invoice.objects.filter(number="r-0").update(paid=True)  # works out Invoice's label SQL
    monkeypatch.setattr(Invoice, "__str__", Shown.plain)  # no cache cleared: it must notice
    Invoice.objects.filter(number="r-1").update(paid=True)
    first, second = updates()
    assert first.target_repr == "Invoice r-0"
    assert second.target_repr == str(Invoice.objects.get(number="r-1"))
    assert second.target_repr.startswith("r-1 for c1 (#")


def test_fields_whose_json_python_makes_keep_the_python_path(django_assert_num_queries):
    make_invoices("J-")
    with django_assert_num_queries(3):  # a JSON document is redacted key by key in Python
        Invoice.objects.filter(number__startswith="J-").update(notes={"api_key": "k"})
    assert updates()[0].changes["notes"]["new"] == {"api_key": "[redacted]"}


@pytest.mark.parametrize("rows", [1, 100])
def test_with_a_seal_key_the_stamps_are_made_in_python(rows, settings, django_assert_num_queries):
    settings.AUDIT_LOG_SEAL_KEY = KEY
    make_invoices("S-", rows)
    with django_assert_num_queries(2) as captured:  # the diff returned, then the entries
        assert Invoice.objects.filter(number__startswith="S-").update(paid=True) == rows
    assert captured.captured_queries[1]["sql"].startswith("INSERT INTO")
    entries = updates()
    assert len(entries) == rows
    keys = stamps.verifying_keys()
    assert all(stamps.stamp_is_valid(e.stamp, e.id, e.created_at, keys) for e in entries)
    with django_assert_num_queries(1):  # nothing changed: no INSERT
        assert Invoice.objects.filter(number__startswith="S-").update(paid=True) == rows


class Long:
    def __str__(self):
        return (
            f"{self.number}: "
            "0123456789012345678901234567890123456789012345678901234567890123456789"
            "0123456789012345678901234567890123456789012345678901234567890123456789"
            "0123456789012345678901234567890123456789012345678901234567890123456789"
            "0123456789012345678901234567890123456789012345678901234567890123456789"
        )


def test_a_label_longer_than_the_column_is_cut_as_in_python(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(Invoice, "__str__", Long.__str__)
    make_invoices("X-", rows=1)
    with django_assert_num_queries(1):  # the database assembles this label too
        Invoice.objects.filter(number="X-0").update(paid=True)
    (entry,) = updates()
    label = str(Invoice.objects.get(number="X-0"))
    assert len(label) > 255
    assert entry.target_repr == label[:255]


def _label(model):
    labels._cache.pop(model, None)
    return labels.label_sql(model)


class Shown:
    """__str__ bodies the database can or cannot assemble, checked on Invoice's fields."""

    def plain(self):
        return f"{self.number} for {self.customer} (#{self.pk})"

    def as_str(self):
        """A docstring is fine."""
        return str(self.number)

    def unknown_attribute(self):
        return str(self.amount_id)

    def format_spec(self):
        return f"{self.pk:>5}"

    def branch(self):
        return self.number or "unnumbered"

    def nullable(self):
        return f"{self.issued_on}"

    def related(self):
        return f"{self.other}"


@pytest.mark.parametrize(
    ("method", "made_by_the_database"),
    [
        ("plain", True),
        ("as_str", True),
        ("unknown_attribute", False),  # no such column
        ("format_spec", False),
        ("branch", False),
        ("nullable", False),  # a date: Python's text is not the column's
        ("related", False),
    ],
)
def test_which_labels_the_database_assembles(method, made_by_the_database, monkeypatch):
    monkeypatch.setattr(Invoice, "__str__", getattr(Shown, method))
    assert (_label(Invoice) is not None) is made_by_the_database


def test_a_property_shadowing_a_column_is_not_read_as_the_column(monkeypatch):
    monkeypatch.setattr(Invoice, "__str__", Shown.plain)
    monkeypatch.setattr(Invoice, "customer", property(lambda self: "shadowed"), raising=False)
    assert _label(Invoice) is None


def test_rows_picked_through_a_join_are_updated_and_logged_once_each(monkeypatch):
    """A filter across a relation may repeat a row in a join; as Django's own UPDATE does, the
    rows are then picked by their keys, each once."""

    def make(prefix):
        for name in ("a", "b"):
            document = Document.objects.create(title=f"{prefix}{name}")
            for heading in ("h1", "h2", "other"):  # two chapters of each document match
                Chapter.objects.create(document=document, heading=f"{prefix}{heading}")

    def run(prefix):
        picked = Document.objects.filter(chapters__heading__startswith=f"{prefix}h")
        assert picked.count() == 4  # the join repeats each document
        assert picked.update(title=Concat("title", Value("!"))) == 2

    database = entries_of(run, "D-", python_path=False, monkeypatch=monkeypatch, make=make)
    python = entries_of(run, "P-", python_path=True, monkeypatch=monkeypatch, make=make)
    assert database == python
    assert sorted(database) == ["*a!", "*b!"]


def test_an_update_of_every_row_logs_every_row(django_assert_num_queries):
    make_invoices("A-", rows=3)
    with django_assert_num_queries(1):  # no filter at all: the statement has no WHERE
        assert Invoice.objects.all().update(customer="everyone") == 3
    assert sorted(e.target_repr for e in updates()) == ["Invoice A-0", "Invoice A-1", "Invoice A-2"]


ACCOUNTS = f"""
INSERT INTO {Account._meta.db_table} (name, api_token, updated_at)
SELECT 'account ' || i, '', now() FROM generate_series(1, %s) AS i
"""


def _scans_of(node, table):
    """The plan nodes under ``node`` (itself included) that read every row of ``table``."""
    found = [node] if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == table else []
    for child in node.get("Plans", []):
        found += _scans_of(child, table)
    return found


def _update_node(node):
    if node["Node Type"] == "ModifyTable" and node.get("Operation") == "Update":
        return node
    return next(filter(None, (_update_node(child) for child in node.get("Plans", []))), None)


def test_the_update_finds_its_rows_by_key_not_by_reading_the_table():
    """The rows just locked are updated through the key index, however many rows the table
    holds and whatever its statistics say (here: none yet, as after a bulk load), so the
    statement's cost follows the rows updated, not the table's size."""
    table = Account._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(ACCOUNTS, [20_000])
    keys = list(Account.objects.order_by("pk").values_list("pk", flat=True)[5_000:6_000])
    with CaptureQueriesContext(connection) as captured:
        assert Account.objects.filter(pk__in=keys).update(api_token="t") == 1_000
    (statement,) = (q["sql"] for q in captured.captured_queries if q["sql"].startswith("WITH"))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}")  # planned, not run again
        ((document,),) = cursor.fetchall()
    update = _update_node(document[0]["Plan"])
    assert update is not None
    assert _scans_of(update, table) == []


def test_rows_picked_with_an_extra_table_are_picked_by_their_keys(django_assert_num_queries):
    folder, other = Folder.objects.create(name="f"), Folder.objects.create(name="g")
    pages = [Page.objects.create(folder=f, body="a") for f in (folder, folder, other)]
    picked = Page.objects.extra(  # another table in FROM, joined by hand
        tables=[Folder._meta.db_table],
        where=[f"{Folder._meta.db_table}.id = folder_id", f"{Folder._meta.db_table}.name = %s"],
        params=["f"],
    )
    with django_assert_num_queries(1):  # one statement, the rows picked by a subquery of keys
        assert picked.update(body="b") == 2
    assert sorted(e.target_id for e in updates()) == sorted(str(p.pk) for p in pages[:2])
