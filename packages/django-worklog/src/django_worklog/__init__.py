"""Server-side work session timing: one active session per user, enforced by the database.

Names are re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_worklog.exceptions import (
        ImmutableSessionError as ImmutableSessionError,
    )
    from django_worklog.exceptions import (
        InvalidArgumentError as InvalidArgumentError,
    )
    from django_worklog.exceptions import (
        InvalidContextError as InvalidContextError,
    )
    from django_worklog.exceptions import (
        NoActiveSession as NoActiveSession,
    )
    from django_worklog.exceptions import (
        SessionAlreadyActiveError as SessionAlreadyActiveError,
    )
    from django_worklog.exceptions import (
        WorkLogError as WorkLogError,
    )
    from django_worklog.models import WorkSession as WorkSession
    from django_worklog.services import (
        get_active_session as get_active_session,
    )
    from django_worklog.services import (
        start_session as start_session,
    )
    from django_worklog.services import (
        stop_session as stop_session,
    )
    from django_worklog.services import (
        stop_stale_sessions as stop_stale_sessions,
    )

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
