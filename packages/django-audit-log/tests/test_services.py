import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone

from django_audit_log import audit_context, log, log_event, prune
from django_audit_log.exceptions import (
    InvalidActionError,
    InvalidActorError,
    InvalidSensitivityError,
    InvalidTargetError,
    RetentionError,
)
from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Invoice, Plain

pytestmark = pytest.mark.django_db


def test_log_is_one_insert(user, django_assert_num_queries):
    invoice = Invoice.objects.create(number="A-1")
    ContentType.objects.get_for_model(invoice)  # the content type cache is warm in a live process
    with django_assert_num_queries(1) as captured:
        log("invoice.sent", obj=invoice, actor=user, changes={"paid": {"old": False, "new": True}})
    assert captured.captured_queries[0]["sql"].startswith("INSERT")


def test_log_event_is_one_insert(user, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        log_event("login", actor=user, metadata={"method": "oauth"})
    assert captured.captured_queries[0]["sql"].startswith("INSERT")


def test_seed_examples_work(user):
    invoice = Invoice.objects.create(number="A-2")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest")
    request.user = user
    created = log(action="create", obj=invoice, actor=request.user, request=request)
    changed = log(
        action="update",
        obj=invoice,
        actor=user,
        changes={"email": {"old": "a@b.com", "new": "x@y.com"}},
    )
    login = log_event(action="login", actor=user, metadata={"method": "oauth"})
    assert (created.ip_address, created.user_agent) == ("10.1.2.3", "pytest")
    assert changed.changes == {"email": {"old": "a@b.com", "new": "x@y.com"}}
    assert login.metadata == {"method": "oauth"}
    assert login.target_content_type is None
    assert login.target_id == ""


def test_every_argument_is_stored(user):
    account = Account.objects.create(name="ops")
    entry = log(
        "account.reviewed",
        obj=account,
        actor=user,
        changes={"name": {"old": "x", "new": "ops"}},
        metadata={"ticket": 42, "when": datetime.date(2025, 1, 2)},
        sensitivity="critical",
        is_system=True,
    )
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert fresh.target_id == str(account.pk)  # integer keys are stored as strings
    assert fresh.target_repr == "ops"
    assert fresh.changes == {"name": {"old": "x", "new": "ops"}}
    assert fresh.metadata == {"ticket": 42, "when": "2025-01-02"}
    assert fresh.sensitivity == "critical"
    assert fresh.is_system is True


def test_request_argument_supplies_actor_ip_agent_and_request_id(user):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="x" * 900)
    request.user = user
    request.audit_request_id = "req-1"
    entry = log_event("export", request=request)
    assert entry.actor == user
    assert entry.ip_address == "192.0.2.7"
    assert len(entry.user_agent) == 512
    assert entry.request_id == "req-1"
    assert entry.is_system is False


def test_string_actor_is_a_snapshot_only():
    entry = log_event("import.ran", actor="cron:nightly")
    assert entry.actor is None
    assert entry.actor_display == "cron:nightly"


def test_no_actor_and_no_request_is_a_system_entry():
    assert log_event("tick").is_system is True


def test_actor_comes_from_the_context(user):
    with audit_context(actor=user, request_id="job-9", channel="celery"):
        entry = log_event("job.done", metadata={"rows": 3})
    assert entry.actor == user
    assert entry.request_id == "job-9"
    assert entry.metadata == {"channel": "celery", "rows": 3}
    assert entry.is_system is False


def test_explicit_actor_beats_the_context(user, other_user):
    with audit_context(actor=user):
        assert log_event("x", actor=other_user).actor == other_user


@pytest.mark.parametrize("action", ["", None, 7, "a" * 101])
def test_bad_action_is_refused_and_nothing_is_written(action):
    with pytest.raises(InvalidActionError, match="expected a non-empty string"):
        log_event(action)
    assert not AuditLog.objects.exists()


def test_bad_sensitivity_is_refused():
    with pytest.raises(InvalidSensitivityError, match=r"'secret'.*expected one of"):
        log_event("x", sensitivity="secret")
    assert not AuditLog.objects.exists()


def test_bad_actor_is_refused():
    with pytest.raises(InvalidActorError, match="expected a saved"):
        log_event("x", actor=Plain.objects.create(name="not a user"))


def test_unsaved_or_non_model_target_is_refused():
    with pytest.raises(InvalidTargetError, match="save it before logging"):
        log("x", obj=Invoice(number="unsaved"))
    with pytest.raises(InvalidTargetError):
        log("x", obj="Invoice 7")
    assert not AuditLog.objects.exists()


def test_anonymous_request_user_is_no_actor():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    entry = log_event("page.viewed", request=request)
    assert entry.actor is None
    assert entry.is_system is False


def test_prune_deletes_older_entries_and_logs_its_run():
    AuditLog.objects.bulk_create(
        [AuditLog(action="ancient", created_at=timezone.now() - datetime.timedelta(days=400))]
    )
    recent = log_event("recent")
    cutoff = timezone.now() - datetime.timedelta(days=365)
    assert prune(cutoff) == 1
    actions = sorted(AuditLog.objects.values_list("action", flat=True))
    assert actions == ["audit_log.pruned", "recent"]
    run = AuditLog.objects.get(action="audit_log.pruned")
    assert run.metadata == {"before": cutoff.isoformat(), "deleted": 1}
    assert run.is_system
    assert run.sensitivity == "high"
    assert AuditLog.objects.filter(pk=recent.pk).exists()


@pytest.mark.parametrize(
    "before",
    [
        datetime.datetime(2020, 1, 1),  # naive
        timezone.now() + datetime.timedelta(days=1),  # future: would delete what is being written
        "2020-01-01",
    ],
)
def test_prune_refuses_a_bad_cutoff(before):
    log_event("kept")
    with pytest.raises(RetentionError, match="expected a timezone-aware datetime in the past"):
        prune(before)
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["kept"]


@pytest.mark.postgresql
def test_prune_passes_the_trigger_only_for_its_own_transaction():
    from django.db import DatabaseError, connection, transaction

    AuditLog.objects.bulk_create(
        [AuditLog(action="ancient", created_at=timezone.now() - datetime.timedelta(days=400))]
    )
    prune(timezone.now() - datetime.timedelta(days=1))
    survivor = log_event("after")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM django_audit_log_auditlog WHERE id = %s", [survivor.pk])
    assert AuditLog.objects.filter(pk=survivor.pk).exists()
