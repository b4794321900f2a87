"""Errors raised by django-worklog; each carries the objects involved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class WorkLogError(Exception):
    """Base class of every error raised by django-worklog."""


class NoActiveSession(WorkLogError):  # the published name, without the "Error" suffix
    """``stop_session()`` was called for a user who has no running session."""

    def __init__(self, user: Any) -> None:
        self.user = user
        super().__init__(
            f"user {user.get_username()!r} (pk={user.pk}) has no active work session; "
            "expected one started with start_session()"
        )


class SessionAlreadyActiveError(WorkLogError):
    """A second running session was about to be saved for a user (outside ``start_session``)."""

    def __init__(self, user_id: Any) -> None:
        self.user_id = user_id
        super().__init__(
            f"user pk={user_id} already has an active work session; expected at most one: "
            "use start_session(), which stops the running one first"
        )


class ImmutableSessionError(WorkLogError):
    """Something tried to change a session's server-set times or a stopped session's duration."""

    def __init__(self, fields: Sequence[str], session: Any = None, via: str = "save()") -> None:
        self.session = session
        self.fields = sorted(fields)
        what = f"session {session.pk}" if session is not None else "work sessions"
        super().__init__(
            f"{via} cannot change {self.fields} of {what}: times come from the server clock "
            "and a stopped session's duration never changes; expected start_session() / "
            "stop_session()"
        )


class InvalidArgumentError(WorkLogError):
    """A value handed to the package is not what it takes; nothing was written."""

    def __init__(self, argument: str, value: Any, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        shown = repr(value)
        if len(shown) > 80:
            shown = f"{shown[:77]}..."
        super().__init__(
            f"{argument} {shown} ({type(value).__name__}) is invalid; expected {expected}"
        )


class InvalidContextError(InvalidArgumentError):
    """The context given to ``start_session()`` is not a saved model instance."""

    def __init__(self, context: Any, expected: str = "") -> None:
        self.context = context
        super().__init__(
            "work session context",
            context,
            expected or "a model instance with a primary key, saved in the database",
        )
