"""An append-only audit trail: ``log()`` / ``log_event()`` at one INSERT each, request context
from contextvars, opt-in change tracking, and a PostgreSQL trigger that refuses tampering.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

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
    "prune": "django_audit_log.services",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
