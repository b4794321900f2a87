"""An append-only audit trail: ``log()`` / ``log_event()`` at one INSERT each, request context
from contextvars, opt-in change tracking, and a PostgreSQL trigger that refuses tampering.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_audit_log.context import (
        audit_context as audit_context,
    )
    from django_audit_log.context import (
        current_context as current_context,
    )
    from django_audit_log.exceptions import (
        AuditLogError as AuditLogError,
    )
    from django_audit_log.exceptions import (
        AuditLogImmutableError as AuditLogImmutableError,
    )
    from django_audit_log.middleware import AuditContextMiddleware as AuditContextMiddleware
    from django_audit_log.models import AuditLog as AuditLog
    from django_audit_log.models import Sensitivity as Sensitivity
    from django_audit_log.retention import prune as prune
    from django_audit_log.services import log as log
    from django_audit_log.services import log_event as log_event
    from django_audit_log.signals import connect_signal as connect_signal
    from django_audit_log.tracking import AuditTrackedModel as AuditTrackedModel

__all__ = [
    "AuditContextMiddleware",
    "AuditLog",
    "AuditLogError",
    "AuditLogImmutableError",
    "AuditTrackedModel",
    "Sensitivity",
    "audit_context",
    "connect_signal",
    "current_context",
    "log",
    "log_event",
    "prune",
]

_LAZY = {
    "AuditContextMiddleware": "django_audit_log.middleware",
    "AuditLog": "django_audit_log.models",
    "Sensitivity": "django_audit_log.models",
    "AuditLogError": "django_audit_log.exceptions",
    "AuditLogImmutableError": "django_audit_log.exceptions",
    "AuditTrackedModel": "django_audit_log.tracking",
    "audit_context": "django_audit_log.context",
    "current_context": "django_audit_log.context",
    "connect_signal": "django_audit_log.signals",
    "log": "django_audit_log.services",
    "log_event": "django_audit_log.services",
    "prune": "django_audit_log.retention",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
