"""Stamps, seals and their verification on a clean history (attacks: test_attacks.py)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone

from django_audit_log import log_event
from django_audit_log.exceptions import AuditLogImmutableError, SealError
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.sealing import seal
from django_audit_log.stamps import stamp_with
from django_audit_log.verification import verify
from tests.testapp.models import Invoice

pytestmark = pytest.mark.django_db

KEY = "tests-only-seal-key-0123456789abcdef"


def test_every_write_path_stamps_its_entry_with_the_key():
    log_event("one")
    AuditLog.objects.bulk_create([AuditLog(action="bulk")])
    AuditLog.objects.create(action="create")
    Invoice.objects.create(number="1")  # the single statement on PostgreSQL
    for entry in AuditLog.objects.all():
        assert entry.stamp == stamp_with(KEY.encode(), entry.id, entry.created_at)


def test_without_a_key_entries_are_not_stamped_and_sealing_refuses(settings):
    settings.AUDIT_LOG_SEAL_KEY = None
    entry = log_event("unkeyed")
    assert entry.stamp == ""
    with pytest.raises(SealError, match="AUDIT_LOG_SEAL_KEY is not set"):
        seal()
    with pytest.raises(CommandError, match="AUDIT_LOG_SEAL_KEY is not set"):
        call_command("verify_audit_log")


@pytest.mark.parametrize("key", ["short", b"short", 42])
def test_an_unfit_key_is_refused_by_name(settings, key):
    settings.AUDIT_LOG_SEAL_KEY = key
    with pytest.raises(SealError, match="AUDIT_LOG_SEAL_KEY is set but unusable"):
        log_event("x")
    assert AuditLog.objects.count() == 0


def test_a_clean_history_seals_and_verifies():
    for i in range(5):
        log_event(f"e{i}")
    run = seal()
    assert (run.sealed, len(run.seals), run.refused) == (5, 1, [])
    assert AuditSeal.objects.get().number == 1
    result = verify()
    assert (result.ok, result.seals, result.sealed, result.pending) == (True, 1, 5, 0)
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    assert "Audit log intact: 1 seals, 5 sealed entries" in out.getvalue()


def test_each_run_seals_only_what_is_new_and_chains_to_the_last_seal():
    log_event("a")
    first = seal().seals[0]
    log_event("b")
    assert verify().pending == 1
    second = seal().seals[0]
    assert (second.number, second.previous_mac, second.entry_count) == (2, first.mac, 1)
    assert seal().seals == []
    assert verify().ok


def test_seal_command_prints_the_head_and_nothing_to_seal():
    log_event("a")
    out = io.StringIO()
    call_command("seal_audit_log", stdout=out)
    head = AuditSeal.objects.get()
    assert f"Sealed 1 entries in 1 seal(s); head: seal 1 {head.mac}" in out.getvalue()
    out = io.StringIO()
    call_command("seal_audit_log", stdout=out)
    assert "Nothing to seal." in out.getvalue()


def test_entries_written_before_the_key_are_sealed_only_when_adopted(settings):
    settings.AUDIT_LOG_SEAL_KEY = None
    old = log_event("before the key")
    settings.AUDIT_LOG_SEAL_KEY = KEY
    with pytest.raises(CommandError, match="1 entries have no valid stamp"):
        call_command("seal_audit_log", stdout=io.StringIO())
    assert [f.kind for f in verify().findings] == ["inserted"]
    call_command("seal_audit_log", "--adopt-unstamped", stdout=io.StringIO())
    assert verify().ok
    assert old.pk in {e.pk for e in AuditLog.objects.all()}


def test_a_rotated_key_still_verifies_old_stamps_and_seals(settings):
    log_event("old key")
    seal()
    settings.AUDIT_LOG_SEAL_KEY = "a-brand-new-key-of-enough-length-0123"
    with pytest.raises(CommandError, match="not configured"):
        call_command("verify_audit_log", stdout=io.StringIO(), stderr=io.StringIO())
    settings.AUDIT_LOG_SEAL_OLD_KEYS = [KEY]
    log_event("new key")
    assert seal().sealed == 1
    result = verify()
    assert (result.ok, result.seals) == (True, 2)


def test_the_sealer_looks_back_for_entries_committed_late_and_full_finds_older_ones(settings):
    log_event("sealed")
    seal()
    late = AuditLog.objects.create(
        action="late", created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    too_late = AuditLog.objects.create(
        action="too late", created_at=timezone.now() - datetime.timedelta(hours=3)
    )
    assert [e.id for e in AuditLog.objects.filter(action__startswith="late")] == [late.id]
    run = seal()
    assert run.sealed == 1  # within the lookback (one hour by default)
    result = verify()
    assert (result.ok, result.pending) == (True, 1)  # the older one is authentic, waiting
    assert seal(full=True).sealed == 1
    assert verify().pending == 0
    assert too_late.pk


def test_a_big_run_writes_several_chained_seals(monkeypatch):
    monkeypatch.setattr("django_audit_log.sealing.SEAL_SIZE", 2)
    for i in range(5):
        log_event(f"e{i}")
    run = seal()
    assert [s.entry_count for s in run.seals] == [2, 2, 1]
    assert verify().ok


def test_seals_are_append_only_through_the_orm():
    log_event("a")
    sealed = seal().seals[0]
    with pytest.raises(AuditLogImmutableError):
        sealed.save()
    with pytest.raises(AuditLogImmutableError):
        sealed.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditSeal.objects.update(mac="x")
    with pytest.raises(AuditLogImmutableError):
        AuditSeal.objects.all().delete()
    with pytest.raises(AuditLogImmutableError):
        AuditSeal.objects.bulk_update([sealed], ["mac"])
    assert str(sealed).startswith("seal 1: 1 entries up to ")


def test_two_seals_with_one_number_cannot_both_exist():
    log_event("a")
    sealed = seal().seals[0]
    duplicate = AuditSeal(**{f.attname: getattr(sealed, f.attname) for f in AuditSeal._meta.fields})
    duplicate.id = None
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_recorded_head_that_is_still_there_verifies():
    log_event("a")
    head = seal().seals[0]
    assert verify(head=(head.number, head.mac)).ok
    out = io.StringIO()
    call_command("verify_audit_log", "--head", f"{head.number}:{head.mac}", stdout=out)
    assert "Audit log intact" in out.getvalue()


@pytest.mark.parametrize("head", ["x:y", "1:short", "abc"])
def test_a_malformed_head_is_refused_by_the_command(head):
    with pytest.raises(CommandError, match="expected NUMBER:MAC"):
        call_command("verify_audit_log", "--head", head)


def test_seal_command_without_a_key_says_so(settings):
    settings.AUDIT_LOG_SEAL_KEY = None
    with pytest.raises(CommandError, match="AUDIT_LOG_SEAL_KEY is not set"):
        call_command("seal_audit_log")


def test_a_bad_lookback_is_refused_when_sealing(settings):
    log_event("a")
    seal()
    settings.AUDIT_LOG_SEAL_LOOKBACK = 3600
    with pytest.raises(SealError, match="AUDIT_LOG_SEAL_LOOKBACK is 3600"):
        seal()
