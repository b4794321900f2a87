"""Attacks on what the docs promise, one test each.

Tamper evidence: an attacker with the database (the table's owner, triggers disabled) but not
``AUDIT_LOG_SEAL_KEY`` modifies, deletes, inserts or reorders entries, or rewrites seals; each is
reported by ``verify_audit_log``. The same attacks run on SQLite, which has no trigger to disable.
MariaDB cannot disable a trigger, only drop it, and that commits: there the tests run
transactionally and the owner drops the triggers and installs them again.
"""

import datetime
import decimal
import io
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from django_audit_log import audit_context, log, log_event
from django_audit_log.admin import AuditLogAdmin
from django_audit_log.exceptions import AuditLogError
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.sealing import seal
from django_audit_log.stamps import record_of
from django_audit_log.verification import verify
from primitives_testkit import run_concurrently
from tests.testapp.models import Invoice

pytestmark = pytest.mark.django_db(transaction=connection.vendor == "mysql")

TABLE = AuditLog._meta.db_table
SEALS = AuditSeal._meta.db_table
MASK = "[redacted]"


def tamper(sql, params=()):
    """Run ``sql`` as the owner would, with every trigger of the two tables disabled."""
    if connection.vendor == "mysql":
        with mariadb_triggers_dropped(), connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
            cursor.execute(f"ALTER TABLE {SEALS} DISABLE TRIGGER ALL")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER ALL")
            cursor.execute(f"ALTER TABLE {SEALS} ENABLE TRIGGER ALL")


@contextmanager
def mariadb_triggers_dropped():
    """The MariaDB triggers as installed last removed (the entries': migration 0010's
    declaration; the seals': 0011's), then installed again."""
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("django_audit_log", "0011_seals_append_only"))
    (replacement,) = executor.loader.get_migration(
        "django_audit_log", "0010_batched_prune"
    ).operations
    (seals,) = executor.loader.get_migration(
        "django_audit_log", "0011_seals_append_only"
    ).operations
    declarations = [replacement.current, seals]
    with connection.schema_editor() as editor:
        for operation in declarations:
            operation.database_backwards("django_audit_log", editor, state, state)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            for operation in declarations:
                operation.database_forwards("django_audit_log", editor, state, state)


def db_id(entry):
    return AuditLog._meta.pk.get_db_prep_value(entry.pk, connection)


def db_time(moment):
    return AuditLog._meta.get_field("created_at").get_db_prep_value(moment, connection)


@pytest.fixture
def history():
    """Five entries a second apart, sealed."""
    start = timezone.now() - datetime.timedelta(minutes=10)
    entries = [
        AuditLog.objects.create(action=f"e{i}", created_at=start + datetime.timedelta(seconds=i))
        for i in range(5)
    ]
    assert seal().sealed == 5
    assert verify().ok
    return entries


def first_finding():
    result = verify()
    assert not result.ok
    return result.first


# ------------------------------------------------------------------------- tamper evidence
def test_modified_entry_is_reported(history):
    tamper(f"UPDATE {TABLE} SET action = 'harmless' WHERE id = %s", [db_id(history[2])])
    first = first_finding()
    assert (first.kind, first.entry_id) == ("modified", history[2].pk)
    assert "its content" in first.detail
    with pytest.raises(CommandError, match=f"first: modified: entry {history[2].pk}"):
        call_command("verify_audit_log", stdout=io.StringIO(), stderr=io.StringIO())


def test_modified_json_content_is_reported(history):
    tamper(f"UPDATE {TABLE} SET metadata = %s WHERE id = %s", ['{"x": 1}', db_id(history[1])])
    assert (first_finding().kind, first_finding().entry_id) == ("modified", history[1].pk)


def test_deleted_entry_is_reported(history):
    tamper(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", [db_id(history[3]), db_id(history[1])])
    first = first_finding()
    assert (first.kind, first.entry_id) == ("deleted", history[1].pk)  # the earlier of the two
    assert len(verify().findings) == 2


def test_backdated_insertion_into_sealed_history_is_reported(history):
    # A copy of a sealed entry, stamp included, placed between two sealed entries.
    forged = "2f0b2a9c-6a1e-4d0e-9b1a-7b0c3d2e1f00"
    moment = history[2].created_at + datetime.timedelta(milliseconds=500)
    columns = [
        f.column for f in AuditLog._meta.concrete_fields if f.attname not in ("id", "created_at")
    ]
    names = ", ".join(columns)
    tamper(
        f"INSERT INTO {TABLE} (id, created_at, {names}) SELECT %s, %s, {names} FROM {TABLE} "
        "WHERE id = %s",
        [
            AuditLog._meta.pk.get_db_prep_value(forged, connection),
            db_time(moment),
            db_id(history[2]),
        ],
    )
    first = first_finding()
    assert (first.kind, str(first.entry_id)) == ("inserted", forged)
    # The sealer refuses to adopt it, and keeps refusing.
    assert [str(e.pk) for e in seal().refused] == [forged]
    assert not verify().ok


def test_reordered_entries_are_reported(history):
    a, b = history[1], history[3]
    tamper(
        f"UPDATE {TABLE} SET created_at = CASE WHEN id = %s THEN %s ELSE %s END "
        "WHERE id IN (%s, %s)",
        [db_id(a), db_time(b.created_at), db_time(a.created_at), db_id(a), db_id(b)],
    )
    findings = verify().findings
    assert {(f.kind, f.entry_id) for f in findings} == {("modified", a.pk), ("modified", b.pk)}
    assert "its key or time" in findings[0].detail


def test_seal_rewritten_without_the_key_is_reported(history):
    """The attacker changes an entry and rewrites its record in the seal: the records are plain
    digests anyone can compute, but the seal's MAC needs the key."""
    tamper(f"UPDATE {TABLE} SET action = 'harmless' WHERE id = %s", [db_id(history[0])])
    sealed = AuditSeal.objects.get()
    row = AuditLog.objects.filter(pk=history[0].pk).values(
        *[f.attname for f in AuditLog._meta.concrete_fields]
    )[0]
    records = bytearray(sealed.records)
    records[0:56] = record_of(row)
    tamper(f"UPDATE {SEALS} SET records = %s WHERE id = %s", [bytes(records), sealed.pk])
    first = first_finding()
    assert (first.kind, first.detail) == ("seal", "seal 1 was altered (its MAC does not match)")


def test_removed_seal_is_reported():
    for i in range(3):
        log_event(f"e{i}")
        seal()
    tamper(f"DELETE FROM {SEALS} WHERE number = 2")
    details = {f.detail for f in verify().findings}
    assert "seal 2 is missing (found seal 3 next)" in details


def test_removed_newest_seal_is_reported_against_the_recorded_head():
    log_event("a")
    seal()
    log_event("b")
    head = seal().seals[0]
    tamper(f"DELETE FROM {SEALS} WHERE number = 2")
    assert verify().ok  # without an anchor, truncation of the newest seal is invisible
    anchored = verify(head=(head.number, head.mac))
    assert [f.detail for f in anchored.findings] == [
        "seal 2 (the recorded head) is missing or altered"
    ]
    with pytest.raises(CommandError, match="recorded head"):
        call_command(
            "verify_audit_log",
            "--head",
            f"{head.number}:{head.mac}",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_entry_committed_late_with_an_earlier_time_is_sealed_later_not_reported(history):
    """A transaction that wrote its entry before the last seal and committed after it: the
    entry's time lies inside sealed history, yet it is authentic (stamped)."""
    late = AuditLog.objects.create(
        action="late", created_at=history[2].created_at + datetime.timedelta(milliseconds=1)
    )
    result = verify()
    assert (result.ok, result.pending) == (True, 1)
    assert seal().sealed == 1
    result = verify()
    assert (result.ok, result.sealed, result.pending) == (True, 6, 0)
    assert late.pk


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_entry_committed_late_by_a_concurrent_transaction_is_sealed_later():
    """Real transactions on PostgreSQL: one writes its entry and stays open while another
    writes a newer entry and the sealer runs; it commits after the seal."""
    import threading

    from django.db import connections, transaction

    written, sealed = threading.Event(), threading.Event()

    def slow_writer(index):
        try:
            with transaction.atomic():
                log_event("slow")
                written.set()
                assert sealed.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer, args=(0,))
    thread.start()
    assert written.wait(30)
    log_event("fast")
    assert seal().sealed == 1
    sealed.set()
    thread.join(30)
    slow = AuditLog.objects.get(action="slow")
    fast = AuditLog.objects.get(action="fast")
    assert slow.created_at < fast.created_at  # earlier time, committed after the seal
    assert verify().ok
    assert seal().sealed == 1
    assert verify().sealed == 2


def test_prune_removes_sealed_entries_without_a_finding(history):
    from django_audit_log.retention import prune

    prune(history[2].created_at)
    result = verify()
    assert result.ok, result.findings
    assert result.pending == 1  # the prune run's own entry


def test_forged_prune_record_does_not_excuse_deleted_entries(history):
    """A prune record the attacker writes (no valid stamp), or one without a readable cut-off,
    does not turn deleted sealed entries into pruned ones, and is reported itself."""
    cut = timezone.now().isoformat()
    AuditLog.objects.create(action="audit_log.pruned", is_system=True, metadata={"before": "?"})
    forged = AuditLog(action="audit_log.pruned", is_system=True, metadata={"before": cut})
    models.QuerySet(model=AuditLog).bulk_create([forged])  # no stamp: as if written in SQL
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [db_id(history[0])])
    findings = verify().findings
    assert sorted((f.kind, f.entry_id) for f in findings) == sorted(
        [("deleted", history[0].pk), ("inserted", forged.pk)]
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_sealers_never_seal_an_entry_twice():
    for i in range(20):
        log_event(f"e{i}")
    from django_audit_log.exceptions import SealError

    run = run_concurrently(lambda index: seal().sealed, threads=4)
    assert all(isinstance(error, SealError) for error in run.errors)
    assert sum(run.results) == 20
    result = verify()
    assert (result.ok, result.sealed) == (True, 20)


# ------------------------------------------------------------------------------- redaction
def test_secrets_inside_lists_in_metadata_are_masked():
    entry = log_event(
        "call",
        metadata={"headers": [{"Authorization": "Bearer abc"}, [{"password": "p"}]], "n": [1]},
    )
    entry.refresh_from_db()
    assert entry.metadata == {"headers": [{"Authorization": MASK}, [{"password": MASK}]], "n": [1]}


def test_secret_keys_at_any_depth_of_a_changed_json_field_are_masked():
    invoice = Invoice.objects.create(number="1", notes={"gateway": {"api_key": "k1"}})
    invoice.notes = {"gateway": {"api_key": "k2", "cards": [{"cvv": "123"}]}}
    invoice.save()
    Invoice.objects.filter(pk=invoice.pk).update(notes={"x": [{"secret": "s"}]})
    for entry in AuditLog.objects.filter(target_id=str(invoice.pk)):
        text = str(entry.changes)
        for secret in ("k1", "k2", "123", "'s'"):
            assert secret not in text, (entry.action, entry.changes)
    update = AuditLog.objects.filter(action="update").order_by("created_at").first()
    expected = {"gateway": {"api_key": MASK, "cards": [{"cvv": MASK}]}}
    assert update.changes["notes"]["new"] == expected


def test_secrets_in_explicit_changes_are_masked_at_any_depth():
    entry = log_event("x", metadata={"a": ({"token": "t"},)})
    assert entry.metadata == {"a": [{"token": MASK}]}
    target = Invoice.objects.create(number="2")
    entry = log("x", obj=target, changes={"settings": {"old": [{"password": "o"}], "new": None}})
    assert entry.changes == {"settings": {"old": [{"password": MASK}], "new": None}}


def test_admin_shows_entries_written_in_clear_masked(admin_user_client):
    entry = log_event("x")
    tamper(
        f"UPDATE {TABLE} SET metadata = %s, changes = %s WHERE id = %s",
        [
            '{"list": [{"password": "hunter2"}]}',
            '{"notes": {"old": null, "new": {"api_key": "sk_live_1"}}}',
            db_id(entry),
        ],
    )
    page = admin_user_client.get(f"/admin/django_audit_log/auditlog/{entry.pk}/change/")
    assert page.status_code == 200
    assert b"hunter2" not in page.content
    assert b"sk_live_1" not in page.content
    assert MASK.encode() in page.content
    assert AuditLogAdmin.readonly_fields.count("metadata") == 0


# ------------------------------------------------------------------------ the base manager
@pytest.fixture
def invoice():
    return Invoice.objects.create(number="B-1", amount=decimal.Decimal("1.00"))


def test_base_manager_update_is_logged(invoice):
    Invoice._base_manager.filter(pk=invoice.pk).update(number="B-2")
    entry = AuditLog.objects.get(action="update", target_id=str(invoice.pk))
    assert entry.changes == {"number": {"old": "B-1", "new": "B-2"}}
    assert entry.metadata == {"via": "QuerySet.update"}


def test_base_manager_bulk_update_is_logged(invoice):
    invoice.number = "B-3"
    Invoice._base_manager.bulk_update([invoice], ["number"])
    entry = AuditLog.objects.get(action="update", target_id=str(invoice.pk))
    assert entry.changes == {"number": {"old": "B-1", "new": "B-3"}}


def test_base_manager_bulk_create_is_logged():
    (created,) = Invoice._base_manager.bulk_create([Invoice(number="B-4")])
    entry = AuditLog.objects.get(action="create", target_id=str(created.pk))
    assert entry.metadata == {"via": "bulk_create"}


# ----------------------------------------------------------------------- bad input at the door
@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"ip_address": "x"}, "ip_address 'x'"),
        ({"ip_address": 42}, "ip_address 42"),
        ({"request_id": "r" * 200}, "request_id 'rrrr"),
        ({"request_id": 7}, "request_id 7"),
        ({"user_agent": ["ua"]}, "user_agent ['ua']"),
        ({"is_system": "yes"}, "is_system 'yes'"),
        ({"actor": 3.5}, "actor 3.5"),
    ],
)
def test_audit_context_refuses_bad_values_at_the_door(kwargs, named):
    with pytest.raises(AuditLogError, match=re.escape(named)), audit_context(**kwargs):
        pass  # pragma: no cover (never entered)
    assert AuditLog.objects.count() == 0


def test_audit_context_refuses_an_unsaved_user():
    ghost = get_user_model()(username="ghost")
    with pytest.raises(AuditLogError, match="actor"), audit_context(actor=ghost):
        pass  # pragma: no cover (never entered)


@pytest.mark.parametrize("write", [log_event, lambda action, **kw: log(action, **kw)])
@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"metadata": ["a", "b"]}, "metadata \\['a', 'b'\\]"),
        ({"metadata": "text"}, "metadata 'text'"),
        ({"is_system": 1}, "is_system 1"),
        ({"sensitivity": ["high"]}, "sensitivity \\['high'\\]"),
        ({"using": 5}, "using 5"),
        ({"using": "nowhere"}, "using 'nowhere'"),
    ],
)
def test_log_refuses_bad_values_at_the_door(write, kwargs, named):
    with pytest.raises(AuditLogError, match=named):
        write("x", **kwargs)
    assert AuditLog.objects.count() == 0


def test_log_refuses_changes_that_are_not_a_mapping():
    with pytest.raises(AuditLogError, match="changes \\[1\\]"):
        log("x", changes=[1])
    assert AuditLog.objects.count() == 0


def test_set_null_from_a_deleted_parent_is_logged():
    """Django's collector detaches rows through the base manager's ``update()``: now tracked."""
    from tests.testapp.models import Folder, Sticker

    folder = Folder.objects.create(name="f")
    sticker = Sticker.objects.create(folder=folder, label="s")
    folder_pk = folder.pk
    folder.delete()
    entry = AuditLog.objects.get(action="update", target_id=str(sticker.pk))
    assert entry.changes == {"folder": {"old": folder_pk, "new": None}}
    assert entry.metadata == {"via": "QuerySet.update"}
