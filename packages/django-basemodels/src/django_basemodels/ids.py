"""UUID generation: time-ordered UUIDv7 (RFC 9562), monotonic within a process.

Random UUIDv4 keys land all over a B-tree index, so every insert touches a random page. UUIDv7 keys
start with a millisecond timestamp and, within one process, always increase, so inserts append to
the right-hand edge of the index like an integer sequence would.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

from django_basemodels import conf
from django_basemodels.exceptions import ImproperlyConfiguredUUIDVersion

_COUNTER_BITS = 12  # the 12 "rand_a" bits carry a counter (RFC 9562, section 6.2, method 1)
_COUNTER_MAX = (1 << _COUNTER_BITS) - 1

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """Return a new UUIDv7, strictly greater than any returned before in this process.

    Layout: 48-bit Unix milliseconds, version, 12-bit counter, variant, 62 random bits. When the
    clock has not moved (or moved backwards) the counter increments; when the counter overflows
    the timestamp is advanced by one millisecond, which RFC 9562 permits.
    """
    global _last_ms, _counter
    now_ms = time.time_ns() // 1_000_000
    with _lock:
        if now_ms > _last_ms:
            _last_ms = now_ms
            # Start low in the counter space so that many ids fit into the same millisecond.
            _counter = int.from_bytes(os.urandom(2), "big") & (_COUNTER_MAX >> 4)
        elif _counter < _COUNTER_MAX:
            _counter += 1
        else:
            _last_ms += 1
            _counter = 0
        timestamp, counter = _last_ms, _counter
    random_tail = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (timestamp & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= random_tail
    return uuid.UUID(int=value)


def new_uuid() -> uuid.UUID:
    """The default of every ``UUIDModel.id``: v7 unless ``BASEMODELS_UUID_VERSION = 4``."""
    version = conf.get("BASEMODELS_UUID_VERSION")
    if version == 7:
        return uuid7()
    if version == 4:
        return uuid.uuid4()
    raise ImproperlyConfiguredUUIDVersion(version)
