"""Migration 0011: the database refuses a raw-SQL change of a seal on PostgreSQL and MariaDB;
reversed, the table is as 0010 left it. (Every write path: tests/test_contracts.py.)"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from django_audit_log import log_event
from django_audit_log.models import AuditSeal
from django_audit_log.sealing import seal

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]

FORGED_MAC = "0" * 64


def forge(sealed):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditSeal._meta.db_table} SET mac = %s WHERE id = %s", [FORGED_MAC, sealed.pk]
        )


def migrate_to(name):
    MigrationExecutor(connection).migrate([("django_audit_log", name)])


def test_0011_guards_the_seals_and_reversed_leaves_them_as_0010_did():
    log_event("a")
    sealed = seal().seals[0]
    (latest,) = MigrationExecutor(connection).loader.graph.leaf_nodes("django_audit_log")
    assert latest[1] == "0011_seals_append_only"
    with pytest.raises(DatabaseError, match="audit seals are append-only"):
        forge(sealed)
    try:
        migrate_to("0010_batched_prune")
        forge(sealed)  # no trigger before 0011
        assert AuditSeal.objects.get().mac == FORGED_MAC
    finally:
        migrate_to(latest[1])
    with pytest.raises(DatabaseError, match="audit seals are append-only"):
        forge(sealed)
