"""The optional cache behind ``get_instance()``, and its transaction-aware invalidation.

A write deletes the cached row at once and again when its transaction commits: a reader in
another process that refills the cache from the old committed row in between is corrected by
the second delete. Until the transaction ends, reads on the writing connection do not fill the
shared cache, so uncommitted (possibly rolled back) values never reach other processes.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.cache import caches
from django.db import connections, transaction

from django_singleton import conf

# Per-connection set of cache keys written in the current transaction (connections are
# per-thread, so this needs no lock).
_DIRTY_ATTR = "_django_singleton_dirty_keys"


def _cache():
    alias = conf.get("SINGLETON_CACHE")
    return caches[alias] if alias else None


def cache_key(model: type, using: str) -> str:
    prefix = conf.get("SINGLETON_CACHE_KEY_PREFIX")
    return f"{prefix}:{using}:{model._meta.label_lower}"


def _dirty_keys(using: str) -> set[str]:
    connection = connections[using]
    dirty = connection.__dict__.setdefault(_DIRTY_ATTR, set())
    if not connection.in_atomic_block:
        dirty.clear()  # a finished transaction (committed or rolled back) leaves nothing dirty
    return dirty


def read(model: type, using: str) -> Any:
    cache = _cache()
    if cache is None:
        return None
    return cache.get(cache_key(model, using))


def store(instance: Any, using: str) -> None:
    cache = _cache()
    if cache is None:
        return
    key = cache_key(type(instance), using)
    if key in _dirty_keys(using):
        return
    cache.set(key, instance, conf.get("SINGLETON_CACHE_TIMEOUT"))


def invalidate(model: type, using: str) -> None:
    """Forget the cached row of ``model`` now and when the current transaction commits."""
    cache = _cache()
    if cache is None:
        return
    key = cache_key(model, using)
    cache.delete(key)
    if connections[using].in_atomic_block:
        _dirty_keys(using).add(key)
        transaction.on_commit(partial(cache.delete, key), using=using)
