"""Running one function over many tasks on every core the process may use.

A cold run parses every file, which is CPU work that Python runs on one core at a time. Worker
processes started by ``fork`` inherit the tasks (nothing is copied to start them) and send back
only their results. Where ``fork`` does not exist or is not safe (Windows, macOS), or the work is
too small to pay for starting processes, the tasks run here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

# Below this many tasks, starting workers costs more than it saves.
MINIMUM_TASKS = 48
_CHUNKS_PER_WORKER = 4  # several chunks each, so that one slow chunk does not hold the rest

_function: Callable[..., Any] | None = None
_tasks: Sequence[tuple[Any, ...]] = ()


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without CPU affinity


def can_fork() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _function is not None
    return [_function(*task) for task in _tasks[bounds[0] : bounds[1]]]


def run_all(
    function: Callable[..., Any], tasks: Sequence[tuple[Any, ...]], workers: int | None = None
) -> list[Any]:
    """``[function(*task) for task in tasks]``, in that order, spread over ``workers``
    processes (default: every usable core). ``function`` must return picklable values."""
    workers = usable_cores() if workers is None else workers
    workers = min(workers, len(tasks) // (MINIMUM_TASKS // 2) or 1)
    if workers < 2 or len(tasks) < MINIMUM_TASKS or not can_fork():
        return [function(*task) for task in tasks]
    global _function, _tasks
    _function, _tasks = function, tasks
    chunks = workers * _CHUNKS_PER_WORKER
    step = -(-len(tasks) // chunks)
    bounds = [(start, min(start + step, len(tasks))) for start in range(0, len(tasks), step)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_chunk, bounds, chunksize=1)
    finally:
        _function, _tasks = None, ()
    return [value for part in parts for value in part]
