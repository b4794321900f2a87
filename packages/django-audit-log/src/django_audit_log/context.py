"""Who is acting, from where, in which request: kept in ``contextvars``.

A ``ContextVar`` follows the flow of control: each thread and each asyncio task sees its own
value, and ``asgiref``'s ``sync_to_async`` / ``async_to_sync`` carry it across the boundary. A
``threading.local`` would leak between coroutines served by one thread, and would be lost when an
async view hands work to a thread pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from django_audit_log import arguments

_current: ContextVar[AuditContext | None] = ContextVar("django_audit_log_context", default=None)


@dataclass(frozen=True)
class AuditContext:
    """What entries written now inherit when the caller does not say otherwise."""

    actor: Any = None
    request: Any = None
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""
    is_system: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def resolve_actor(self) -> Any:
        """The explicit actor, else the authenticated user of the request (resolved lazily)."""
        if self.actor is not None:
            return self.actor
        return user_of(self.request)


def user_of(request: Any) -> Any:
    """``request.user`` when it is an authenticated user, else ``None``."""
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def current_context() -> AuditContext | None:
    """The innermost active context, or ``None`` outside requests and ``audit_context``."""
    return _current.get()


@contextmanager
def audit_context(
    actor: Any = None,
    request_id: str | None = None,
    *,
    ip_address: str | None = None,
    user_agent: str | None = None,
    is_system: bool | None = None,
    **extra: Any,
) -> Iterator[AuditContext]:
    """Attribute every entry written inside the block to ``actor`` (and the other values).

    For code outside requests: Celery tasks, management commands, scripts. Contexts nest: an
    inner block overrides what it names and inherits the rest, and ``extra`` keys are merged
    into each entry's ``metadata``. Works as a decorator too.
    """
    outer = _current.get() or AuditContext()
    overrides: dict[str, Any] = {"extra": {**outer.extra, **extra}}
    # Checked here, once, rather than failing every write inside the block.
    for name, value in (
        ("actor", arguments.actor(actor)),
        ("request_id", None if request_id is None else arguments.request_id(request_id)),
        ("ip_address", arguments.ip_address(ip_address)),
        ("user_agent", None if user_agent is None else arguments.user_agent(user_agent)),
        ("is_system", arguments.flag("is_system", is_system)),
    ):
        if value is not None:
            overrides[name] = value
    inner = replace(outer, **overrides)
    token = _current.set(inner)
    try:
        yield inner
    finally:
        _current.reset(token)


def enter(context: AuditContext) -> Any:
    """Make ``context`` current; returns the token for ``leave`` (used by the middleware)."""
    return _current.set(context)


def leave(token: Any) -> None:
    _current.reset(token)
