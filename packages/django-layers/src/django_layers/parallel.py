"""Running one function over many tasks on every core the process may use.

A cold run parses every file, which is CPU work that Python runs on one core at a time. Worker
processes started by ``fork`` inherit the tasks and everything the function reads (nothing is
copied to start them); each takes every n-th task, the parent process one share itself, and
each worker sends back only its results, through a pipe. No pool, no threads: a plain ``fork``
costs a fraction of ``multiprocessing``'s start-up, which matters on small trees. Where ``fork``
does not exist or is not safe (Windows, macOS), or the work is too small to pay for starting a
process, the tasks run here, one after the other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

# Below this many tasks, starting workers costs more than it saves.
MINIMUM_TASKS = 48


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - platforms without CPU affinity


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork")


def run_all(
    function: Callable[..., Any], tasks: Sequence[tuple[Any, ...]], workers: int | None = None
) -> list[Any]:
    """``[function(*task) for task in tasks]``, in that order, spread over ``workers``
    processes (default: every usable core). ``function`` must return picklable values."""
    workers = usable_cores() if workers is None else workers
    workers = min(workers, len(tasks) // (MINIMUM_TASKS // 2) or 1)
    if workers < 2 or len(tasks) < MINIMUM_TASKS or not can_fork():
        return [function(*task) for task in tasks]
    # Every n-th task rather than one block each: neighbouring files are alike in size, so the
    # shares come out even without handing tasks out one by one.
    shares: list[list[Any] | None] = [None] * workers
    children = [(share, *_start(function, tasks[share::workers])) for share in range(1, workers)]
    try:
        shares[0] = [function(*task) for task in tasks[0::workers]]
    finally:
        for share, pid, pipe in children:
            shares[share] = _collect(pid, pipe)
    done: list[list[Any]] = []
    for share, values in enumerate(shares):
        if values is None:  # the worker failed: its share runs here (and raises what it raised)
            values = [function(*task) for task in tasks[share::workers]]
        done.append(values)
    return [done[index % workers][index // workers] for index in range(len(tasks))]


def _start(function: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]) -> tuple[int, int]:
    """Fork a worker that runs ``tasks`` and writes their pickled values to a pipe; returns its
    process id and the pipe's reading end."""
    import pickle  # noqa: PLC0415 - only a run that starts workers needs it

    reading, writing = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writing)
        return pid, reading
    # The worker: never returns into the caller's code, never runs its exit handlers.
    status = 1
    try:
        os.close(reading)
        data = pickle.dumps([function(*task) for task in tasks], pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)


def _collect(pid: int, pipe: int) -> list[Any] | None:
    """A worker's values, or ``None`` when it failed."""
    import pickle  # noqa: PLC0415

    with os.fdopen(pipe, "rb") as received:
        data = received.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    values: list[Any] = pickle.loads(data)  # written by our own forked worker, just now
    return values
