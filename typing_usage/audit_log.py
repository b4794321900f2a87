"""The public types of django-audit-log, as a user's code sees them."""

from datetime import datetime

from typing_extensions import assert_type

import django_audit_log
from django_audit_log import AuditLog, AuditLogError, log, log_event, prune


def usage(when: datetime) -> None:
    assert_type(django_audit_log.__version__, str)
    assert_type(log("invoice.paid"), AuditLog)
    assert_type(log_event("login.failed", metadata={"username": "sam"}), AuditLog)
    assert_type(prune(when), int)
    error: Exception = AuditLogError("x")
    assert_type(error, Exception)
