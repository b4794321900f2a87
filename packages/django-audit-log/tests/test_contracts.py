"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_audit_log.exceptions import AuditLogError
from primitives_testkit.contracts import PackageContract


class TestAuditLogContracts(PackageContract):
    package = "django_audit_log"
    base_error = AuditLogError
    check_prefix = "audit_log"
