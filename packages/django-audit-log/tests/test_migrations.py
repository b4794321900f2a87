"""PostgreSQL: the functions the migrations install, forwards and backwards."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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


def latest():
    """The app's newest migration: where every test leaves the schema."""
    (leaf,) = MigrationExecutor(connection).loader.graph.leaf_nodes("django_audit_log")
    return leaf[1]


def test_0004_replaces_the_entry_writer_and_gives_it_back_when_reversed():
    assert entry_writers() == ["django_audit_log_write_entry"]
    try:
        migrate_to("0003_entry_writer")
        assert entry_writers() == ["django_audit_log_write"]
    finally:
        migrate_to(latest())
    assert entry_writers() == ["django_audit_log_write_entry"]
    invoice = Invoice.objects.create(number="M-1")  # the tracked save finds its writer
    assert AuditLog.objects.filter(action="create", target_id=str(invoice.pk)).count() == 1
