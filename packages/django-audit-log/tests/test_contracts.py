"""The contracts every package of the repository keeps (primitives_testkit.contracts), and every
write path tried on the append-only tables (primitives_testkit.append_only)."""

import pytest

from django_audit_log import log, log_event
from django_audit_log.exceptions import AuditLogError, AuditLogImmutableError
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.sealing import seal
from primitives_testkit.append_only import AppendOnlyContract
from primitives_testkit.contracts import PackageContract


class TestAuditLogContracts(PackageContract):
    package = "django_audit_log"
    base_error = AuditLogError
    check_prefix = "audit_log"


class TestEntriesAreAppendOnly(AppendOnlyContract):
    model = AuditLog
    error = AuditLogImmutableError
    changes = {"action": "forged", "actor_display": "nobody"}
    rows = "audit entries"
    set_null = ("actor", "target_content_type")

    @pytest.fixture
    def row(self, user):
        return log("invoice.sent", actor=user, metadata={"to": "x@y.z"})


class TestSealsAreAppendOnly(AppendOnlyContract):
    """Seals are guarded in Python only: no trigger covers their table yet, so the raw SQL
    paths are reported as skipped on every database."""

    model = AuditSeal
    error = AuditLogImmutableError
    changes = {"mac": "0" * 64, "entry_count": 7}
    trigger_vendors = frozenset()

    @pytest.fixture
    def row(self):
        log_event("a")
        return seal().seals[0]
