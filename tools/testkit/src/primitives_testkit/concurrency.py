"""Run one function in many real threads at the same moment, to prove invariants under races."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connections


@dataclass
class ConcurrentRun:
    """What the threads that returned gave back, and what the others raised, each in thread
    order (a thread appears in one list or the other)."""

    results: list[Any] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def run_concurrently(
    fn: Callable[[int], Any], threads: int = 16, timeout: float = 60.0
) -> ConcurrentRun:
    """Call ``fn(i)`` for ``i`` in ``range(threads)``, all released together by a barrier.

    Each thread uses its own database connection (Django opens one per thread) and closes it when
    done, so the test database can be dropped afterwards. ``timeout`` bounds the whole run.
    """
    barrier = threading.Barrier(threads)

    def worker(index: int) -> Any:
        try:
            barrier.wait(timeout)
            return fn(index)
        finally:
            connections.close_all()

    run = ConcurrentRun()
    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(worker, index) for index in range(threads)]
        for future in futures:
            try:
                run.results.append(future.result(max(0.0, deadline - time.monotonic())))
            except Exception as error:  # collected for the test to assert on
                run.errors.append(error)
    return run
