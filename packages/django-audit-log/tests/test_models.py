import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from django_audit_log import log, log_event
from django_audit_log.exceptions import (
    AuditLogImmutableError,
    InvalidActionError,
    InvalidSensitivityError,
)
from django_audit_log.models import AuditLog
from tests.testapp.models import Invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(user):
    invoice = Invoice.objects.create(number="A-1")
    return log("invoice.sent", obj=invoice, actor=user, metadata={"to": "x@y.z"})


def test_every_field_is_stored_and_read_back(entry, user):
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert isinstance(fresh.id, uuid.UUID)
    assert fresh.id.version == 7
    assert isinstance(fresh.created_at, datetime.datetime)
    assert fresh.action == "invoice.sent"
    assert fresh.actor == user
    assert fresh.actor_display == "alice"
    assert fresh.target_content_type == ContentType.objects.get_for_model(Invoice)
    assert fresh.target_id == str(fresh.target.pk)
    assert fresh.target_repr == "Invoice A-1"
    assert fresh.changes == {}
    assert fresh.metadata == {"to": "x@y.z"}
    assert fresh.ip_address is None
    assert fresh.user_agent == ""
    assert fresh.request_id == ""
    assert fresh.sensitivity == "normal"
    assert fresh.is_system is False
    assert "alice invoice.sent Invoice A-1" in str(fresh)


def test_keys_are_time_ordered(user):
    entries = [log_event(f"e{i}", actor=user) for i in range(20)]
    assert [e.pk for e in entries] == sorted(e.pk for e in entries)


def test_target_is_none_when_the_object_is_gone(entry):
    Invoice.objects.filter(pk=entry.target_id).delete()
    assert AuditLog.objects.get(pk=entry.pk).target is None
    assert log_event("no.target").target is None


def test_target_is_none_when_its_content_type_was_removed_by_raw_sql():
    """The content type column has no database constraint (checking it would lock the content
    type's row on every entry): a content type removed behind Django's back leaves entries
    readable."""
    gone = ContentType.objects.create(app_label="retired", model="widget")
    entry = AuditLog(action="widget.made", target_content_type=gone, target_id="7")
    entry.save()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a constraint would fail here
        cursor.execute("DELETE FROM django_content_type WHERE id = %s", [gone.pk])
    ContentType.objects.clear_cache()
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert fresh.target_content_type_id == gone.pk
    assert fresh.target is None


def test_actor_snapshot_survives_the_users_deletion(entry, user):
    user.delete()
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert fresh.actor_id is None
    assert fresh.actor_display == "alice"
    assert fresh.action == "invoice.sent"


def test_save_of_an_existing_entry_is_refused_without_a_query(entry, django_assert_num_queries):
    entry.action = "rewritten"
    with django_assert_num_queries(0), pytest.raises(AuditLogImmutableError, match="save"):
        entry.save()
    with django_assert_num_queries(0), pytest.raises(AuditLogImmutableError):
        AuditLog(action="x").save(force_update=True)
    assert AuditLog.objects.get(pk=entry.pk).action == "invoice.sent"


def test_delete_is_refused_without_a_query(entry, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(AuditLogImmutableError, match="delete"):
        entry.delete()
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(action="rewritten"),
        lambda qs: qs.update(actor=None, action="rewritten"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["action"]),
        lambda qs: qs.bulk_create(
            [AuditLog(action="x")],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["action"],
        ),
        lambda qs: AuditLog._base_manager.filter(pk__in=qs.values("pk")).update(action="x"),
    ],
    ids=["update", "update-with-detach", "delete", "bulk_update", "upsert", "base-manager"],
)
def test_bulk_paths_are_refused_without_a_query(entry, operation, django_assert_num_queries):
    queryset = AuditLog.objects.filter(pk=entry.pk)
    list(queryset)  # bulk_update's argument is loaded before the budget starts
    with django_assert_num_queries(0), pytest.raises(AuditLogImmutableError):
        operation(queryset)
    fresh = AuditLog.objects.get(pk=entry.pk)
    assert fresh.action == "invoice.sent"


def test_refusal_names_the_operation(entry):
    with pytest.raises(AuditLogImmutableError) as caught:
        AuditLog.objects.all().update(action="x")
    assert caught.value.operation == "QuerySet.update()"
    assert "append-only" in str(caught.value)


def test_plain_bulk_create_appends(user):
    AuditLog.objects.bulk_create([AuditLog(action="a"), AuditLog(action="b")])
    assert AuditLog.objects.count() == 2


def test_database_refuses_an_unknown_sensitivity_and_an_empty_action():
    # The package refuses them first, with its own errors...
    with pytest.raises(InvalidSensitivityError):
        AuditLog.objects.bulk_create([AuditLog(action="x", sensitivity="secret")])
    with pytest.raises(InvalidActionError):
        AuditLog.objects.bulk_create([AuditLog(action="")])
    # ...and the constraints stand behind it (a plain QuerySet skips the package's checks).
    plain = models.QuerySet(model=AuditLog)
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.bulk_create([AuditLog(action="x", sensitivity="secret")])
    with pytest.raises(IntegrityError), transaction.atomic():
        plain.bulk_create([AuditLog(action="")])
    assert not AuditLog.objects.exists()


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgresql
def test_raw_sql_update_is_refused_by_the_trigger(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE django_audit_log_auditlog SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).action == "invoice.sent"


@pytest.mark.postgresql
def test_raw_sql_update_that_also_detaches_the_actor_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(
            "UPDATE django_audit_log_auditlog SET actor_id = NULL, actor_display = 'x' "
            "WHERE id = %s",
            [entry.pk],
        )


@pytest.mark.postgresql
def test_raw_sql_delete_is_refused_by_the_trigger(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM django_audit_log_auditlog WHERE id = %s", [entry.pk])
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgresql
def test_raw_sql_truncate_is_refused_by_the_trigger(entry):
    _raw("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: TRUNCATE meets the trigger
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("TRUNCATE django_audit_log_auditlog")
    assert AuditLog.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgresql
def test_trigger_lets_set_null_detach_the_actor_in_raw_sql(entry):
    _raw("UPDATE django_audit_log_auditlog SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).actor_id is None
