"""Reading every file of a run: from the cache where possible, otherwise all new files at once.

The order of the work is the order of its cost. A file whose path, size and modification time
are remembered costs one ``stat``. Every other file is read once, on every core (half of them
while ruff parses every file alongside; :mod:`django_layers.parallel`): the process that reads
it hashes it, takes its result from the cache when its content is remembered (a fresh checkout
of an unchanged file), and otherwise reads its records at once, as if it were valid Python.
Meanwhile ruff decides which files are (:mod:`django_layers.syntax`); those it does not vouch
for are compiled by CPython and read again. When the cache remembers nothing, ruff starts on
every file before any is read (with no cache folder at all, before the files are even stated:
:func:`django_layers.engine.run_check`), so that its work and the reading overlap from the
start.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

from django_layers.cache import FileCache, Stored, content_key
from django_layers.extract import Record
from django_layers.model import FileError, Result
from django_layers.parallel import run_all, usable_cores
from django_layers.reader import Extracted, extract_source, read_bytes, read_source
from django_layers.syntax import declares_nonlocal, needs_cpython, start_ruff

# How a file's first reading ended, which decides what is left to do:
CACHED = "cached"  # its content's result is remembered: nothing
ASSUMED = "assumed"  # read as valid Python: ruff must vouch for it, else it is read again
DECIDED = "decided"  # CPython compiled it, or the cache knows that it compiles: nothing


class NewFile(NamedTuple):
    """A file the path cache did not answer for."""

    path: str
    module: str
    is_init: bool
    stat: os.stat_result
    wanted: bool = True  # whether a rule reads its records (else only its compiling matters)


class Read(NamedTuple):
    """What a run knows of one readable file."""

    module: str
    is_init: bool
    records: list[Record]  # the cache gives them back as lists: read them as sequences
    apps: list[tuple[str, str]]  # (name, label) of each AppConfig


# (content key, or None when the file cannot be read; CACHED, ASSUMED or DECIDED; what was read:
# ``None`` when nothing had to be)
FirstReading = tuple["str | None", str, "Extracted | FileError | None"]


def first_reading(file: NewFile, contents: dict[str, Stored]) -> FirstReading:
    """Read ``file`` once: its key, and its result unless ``contents`` (the cache's results by
    content) already holds it. Runs in a worker: ``contents`` is only looked at, never changed."""
    try:
        data = read_bytes(file.path, file.stat.st_size)
    except FileError as error:
        return None, DECIDED, error
    is_apps = file.module.endswith(".apps")
    key = content_key(data, is_apps)
    stored = contents.get(key)
    if stored is not None:
        if stored[0] is not None or not file.wanted:
            return key, CACHED, None
        # Known to compile, but never read: only the records are missing.
        return key, DECIDED, extract_source(file.path, file.stat, data, is_apps, proven=True)
    if needs_cpython(data):  # ruff's word cannot settle it: CPython compiles it now
        outcome = extract_source(file.path, file.stat, data, is_apps, False, file.wanted)
        return key, DECIDED, outcome
    if not file.wanted and not declares_nonlocal(data):
        return key, ASSUMED, None  # ruff's word is all this file needs
    # ``nonlocal`` declarations are checked by CPython even when no rule reads the file.
    return key, ASSUMED, extract_source(file.path, file.stat, data, is_apps, True, file.wanted)


def read_new(
    files: list[NewFile],
    cache: FileCache,
    result: Result,
    shown: Callable[[str], str],
    upfront: Callable[[], set[str] | None] | None = None,
) -> dict[str, Read]:
    """Read ``files``, record their errors in ``result`` (paths as ``shown`` gives them).
    ``upfront``, when given, is the answer of a ruff already started on at least these files.

    No content is kept: each file is read by the process that hashes and reads it, and the few
    that ruff does not vouch for are read again (from the operating system's cache), so memory
    does not grow with the size of the tree.
    """
    if upfront is None and not cache.contents:
        upfront = start_ruff([file.path for file in files])  # first, to overlap all the rest
    # Imported here (only when files must be read) and before any worker starts, so that
    # workers share the fast pass's compiled regular expressions instead of each compiling them.
    from django_layers import scan  # noqa: F401, PLC0415

    contents = cache.contents
    # While ruff parses every file it keeps about half the cores busy (its parse costs about
    # what the reading costs): the reading takes the other half, not all of them (on two cores,
    # a worker would only take turns with ruff and add the cost of starting it).
    workers = None if upfront is None else max(1, usable_cores() // 2)
    # Compiling someone's code may warn about it: not ours to say. One filter for the whole
    # batch (forked workers inherit it) rather than one per file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        readings: list[FirstReading] = run_all(
            first_reading, [(file, contents) for file in files], workers
        )
    assumed = [
        file.path for file, (_, how, _) in zip(files, readings, strict=True) if how == ASSUMED
    ]
    answer = upfront or (start_ruff(assumed) if assumed else _nothing_flagged)
    flagged = answer()
    doubted = set(assumed) if flagged is None else flagged & set(assumed)
    again = [file for file in files if file.path in doubted]
    tasks = [(f.path, f.stat, f.module.endswith(".apps"), False, f.wanted) for f in again]
    decided: dict[str, Any] = dict(
        zip([file.path for file in again], run_all(read_source, tasks), strict=True)
    )
    read: dict[str, Read] = {}
    for file, (key, how, outcome) in zip(files, readings, strict=True):
        outcome = decided.get(file.path, outcome)
        if isinstance(outcome, FileError):
            outcome.path = shown(outcome.path)
            result.errors.append(outcome)
            continue
        assert key is not None  # a file that could not be read has an error
        stored: Stored | None
        if how == CACHED:
            stored = cache.get_content(key)  # counted as used by this run
            assert stored is not None
            result.from_cache += 1
            cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, None)
            read[file.path] = Read(file.module, file.is_init, stored[0] or [], stored[1])
            continue
        if outcome is None:
            # Compiles, and no rule reads it: nothing more to do than remember that it compiles.
            cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, [None, []])
            read[file.path] = Read(file.module, file.is_init, [], [])
            continue
        records, apps, how_read = outcome
        if how_read == "fast":
            result.fast += 1
        elif how_read == "tree":
            result.tree += 1
        stored = [records if file.wanted else None, apps]
        cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, stored)
        read[file.path] = Read(file.module, file.is_init, records, apps)
    return read


def _nothing_flagged() -> set[str]:
    return set()
