"""PostgreSQL: the functions the migrations install, forwards and backwards."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from django_audit_log import prune
from django_audit_log.models import AuditLog
from tests.testapp.models import Invoice

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def entry_writers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'django_audit_log_write%' ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def migrate_to(name):
    executor = MigrationExecutor(connection)
    executor.migrate([("django_audit_log", name)])


def latest_migration():
    (leaf,) = MigrationExecutor(connection).loader.graph.leaf_nodes("django_audit_log")
    return leaf[1]


def test_0004_replaces_the_entry_writer_and_gives_it_back_when_reversed():
    assert entry_writers() == ["django_audit_log_write_entry"]
    latest = latest_migration()
    try:
        migrate_to("0003_entry_writer")
        assert entry_writers() == ["django_audit_log_write"]
    finally:
        migrate_to(latest)
    assert entry_writers() == ["django_audit_log_write_entry"]
    invoice = Invoice.objects.create(number="M-1")  # the tracked save finds its writer
    assert AuditLog.objects.filter(action="create", target_id=str(invoice.pk)).count() == 1


def prune_signatures():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_function_identity_arguments(oid) FROM pg_proc "
            "WHERE proname = 'django_audit_log_prune'"
        )
        return [arguments for (arguments,) in cursor.fetchall()]


def test_0010_gives_the_prune_function_a_batch_size_and_takes_it_back_when_reversed():
    assert prune_signatures() == ["before timestamp with time zone, max_rows integer"]
    latest = latest_migration()
    try:
        migrate_to("0009_model_time_index")
        assert prune_signatures() == ["before timestamp with time zone"]
    finally:
        migrate_to(latest)
    assert prune_signatures() == ["before timestamp with time zone, max_rows integer"]
    AuditLog.objects.bulk_create(
        [AuditLog(action="old", created_at=timezone.now() - datetime.timedelta(days=400))]
    )
    assert prune(timezone.now() - datetime.timedelta(days=1), batch_size=1) == 1
