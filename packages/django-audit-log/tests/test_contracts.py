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
    """Seals are the tamper evidence: guarded in Python and, since migration 0011, by the
    database's triggers (raw SQL included), with no retention route: nothing removes a seal."""

    model = AuditSeal
    error = AuditLogImmutableError
    changes = {"mac": "0" * 64, "entry_count": 7}
    rows = "audit seals"

    @pytest.fixture
    def row(self):
        log_event("a")
        return seal().seals[0]
