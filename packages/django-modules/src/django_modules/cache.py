"""The request-scoped cache of resolved modules.

A scope is opened per request (``ModuleCacheMiddleware``) or by hand (``module_cache()``, for
tasks and scripts). Inside it the first check for an organization loads every module of that
organization in one query and later checks cost none. The scope lives in a ``ContextVar``: it is
never shared with another request, and a thread started during a request does not see it (threads
begin with an empty context), so nothing can leak.

Any toggle bumps a process-wide generation counter; a scope that sees a newer generation than the
one it loaded at drops what it holds. The counter is bumped when the change is written and again
when its transaction commits, so a value read by another thread before the commit is not kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

_generations = itertools.count(1)
_generation = next(_generations)


class _Scope:
    __slots__ = ("generation", "orgs")

    def __init__(self) -> None:
        self.generation = _generation
        # organization pk -> {module key: enabled}
        self.orgs: dict[Any, dict[str, bool]] = {}


_current: ContextVar[_Scope | None] = ContextVar("django_modules_cache", default=None)


@contextmanager
def module_cache() -> Iterator[None]:
    """Cache resolved modules until the block ends (the middleware does this per request)."""
    token = _current.set(_Scope())
    try:
        yield
    finally:
        _current.reset(token)


def is_active() -> bool:
    return _current.get() is not None


def _fresh_scope() -> _Scope | None:
    scope = _current.get()
    if scope is not None and scope.generation != _generation:
        scope.orgs.clear()
        scope.generation = _generation
    return scope


def get(org_pk: Any) -> dict[str, bool] | None:
    """The cached modules of an organization, or ``None`` (no scope, or not loaded yet)."""
    scope = _fresh_scope()
    return None if scope is None else scope.orgs.get(org_pk)


def put(org_pk: Any, states: dict[str, bool], generation: int) -> None:
    """Remember ``states`` unless a toggle happened since ``generation`` (read before querying)."""
    scope = _fresh_scope()
    if scope is not None and generation == _generation:
        scope.orgs[org_pk] = states


def current_generation() -> int:
    return _generation


def _bump() -> None:
    global _generation
    # next() on itertools.count is atomic under the GIL, so concurrent bumps never collide.
    _generation = next(_generations)


def invalidate(using: str | None = None) -> None:
    """Forget every cached resolution, now and again when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump, using=using)
