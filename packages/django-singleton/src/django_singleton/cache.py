"""The optional cache behind ``get_instance()``: a cached row is never older than the last
committed save.

Each model has two cache keys: its row, stored together with a *generation token*, and the
model's current token. A write replaces the token once its transaction has committed (at once
in autocommit). A reader takes the current token BEFORE it reads the database and stores the row
under that token; a cached row is served only while its token is still the current one. So a
reader that fetched the row before a writer committed, and stores it after the writer replaced
the token, stored it under a token that is already gone: it is never served. The row and the
token are read in one round trip (``get_many``), so a warm read still costs no query.

Within a transaction that wrote the row, the writing connection neither reads nor fills the
cache: it must see its own uncommitted write, and other processes must not.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import connections, transaction
from django.db.models import Model

from django_singleton import conf

# Per-connection set of cache keys written in the current transaction (connections are
# per-thread, so this needs no lock).
_DIRTY_ATTR = "_django_singleton_dirty_keys"


def _cache() -> BaseCache | None:
    alias = conf.get("SINGLETON_CACHE")
    return caches[alias] if alias else None


def cache_key(model: type[Model], using: str) -> str:
    prefix = conf.get("SINGLETON_CACHE_KEY_PREFIX")
    return f"{prefix}:{using}:{model._meta.label_lower}"


def generation_key(model: type[Model], using: str) -> str:
    return f"{cache_key(model, using)}:generation"


def _new_token() -> str:
    return uuid.uuid4().hex


def _dirty_keys(using: str) -> set[str]:
    connection = connections[using]
    dirty: set[str] = connection.__dict__.setdefault(_DIRTY_ATTR, set())
    if not connection.in_atomic_block:
        dirty.clear()  # a finished transaction (committed or rolled back) leaves nothing dirty
    return dirty


def read(model: type[Model], using: str) -> tuple[Any, str | None]:
    """``(cached row or None, token)``: store a row read from the database now under ``token``
    (``None``: do not store it)."""
    cache = _cache()
    if cache is None or cache_key(model, using) in _dirty_keys(using):
        return None, None
    key, current = cache_key(model, using), generation_key(model, using)
    found = cache.get_many([key, current])
    token = found.get(current)
    if token is None:
        # No generation yet (or evicted): start one; if another process started one first, use
        # theirs. Rows cached under any earlier token are not served again.
        token = _new_token()
        if not cache.add(current, token, timeout=None):
            token = cache.get(current)
        return None, token
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token:
        return stored[1], token
    return None, token


def store(instance: Model, using: str, token: str | None) -> None:
    """Cache ``instance`` under ``token`` (from ``read()``, taken before the database read)."""
    cache = _cache()
    if cache is None or token is None:
        return
    key = cache_key(type(instance), using)
    if key in _dirty_keys(using):
        return
    cache.set(key, (token, instance), conf.get("SINGLETON_CACHE_TIMEOUT"))


def invalidate(model: type[Model], using: str) -> None:
    """Start a new generation for ``model`` once the current transaction commits (at once in
    autocommit); until then this connection bypasses the cache."""
    cache = _cache()
    if cache is None:
        return
    if connections[using].in_atomic_block:
        _dirty_keys(using).add(cache_key(model, using))
        transaction.on_commit(partial(_next_generation, cache, model, using), using=using)
    else:
        _next_generation(cache, model, using)


def _next_generation(cache: BaseCache, model: type[Model], using: str) -> None:
    cache.set(generation_key(model, using), _new_token(), timeout=None)
    cache.delete(cache_key(model, using))  # not needed for correctness: frees the memory
