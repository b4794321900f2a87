"""Server-side work session timing: one active session per user, enforced by the database.

Names are re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "ImmutableSessionError",
    "InvalidArgumentError",
    "InvalidContextError",
    "NoActiveSession",
    "SessionAlreadyActiveError",
    "WorkLogError",
    "WorkSession",
    "get_active_session",
    "start_session",
    "stop_session",
    "stop_stale_sessions",
]

_LAZY = {
    "WorkSession": "django_worklog.models",
    "get_active_session": "django_worklog.services",
    "start_session": "django_worklog.services",
    "stop_session": "django_worklog.services",
    "stop_stale_sessions": "django_worklog.services",
    "WorkLogError": "django_worklog.exceptions",
    "ImmutableSessionError": "django_worklog.exceptions",
    "InvalidArgumentError": "django_worklog.exceptions",
    "InvalidContextError": "django_worklog.exceptions",
    "NoActiveSession": "django_worklog.exceptions",
    "SessionAlreadyActiveError": "django_worklog.exceptions",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
