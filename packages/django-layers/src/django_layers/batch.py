"""Reading every file of a run: from the cache where possible, otherwise all new files at once.

The order of the work is the order of its cost. A file whose path, size and modification time
are remembered costs one ``stat``. A file whose content is remembered (a fresh checkout of an
unchanged file) costs a read and a hash. Only the rest is parsed: ruff vouches for them in one
call (:mod:`django_layers.syntax`), then the records are extracted on every core
(:mod:`django_layers.parallel`), CPython compiling only the files ruff could not vouch for.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple

from django_layers.cache import FileCache, Stored, content_key
from django_layers.extract import Record
from django_layers.model import FileError, Result
from django_layers.parallel import run_all
from django_layers.reader import Extracted, read_bytes, read_source
from django_layers.syntax import declares_nonlocal, needs_cpython, start_ruff


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


def read_new(
    files: list[NewFile],
    cache: FileCache,
    result: Result,
    shown: Callable[[str], str],
) -> dict[str, Read]:
    """Read ``files``, record their errors in ``result`` (paths as ``shown`` gives them).

    No content is kept here: a file is read to find its result by content, and the files that
    must be parsed are read again by the process that parses them (the second read comes from
    the operating system's cache), so memory does not grow with the size of the tree.
    """
    read: dict[str, Read] = {}
    unknown: list[tuple[NewFile, str, bool]] = []  # (file, content key, ruff may vouch for it)
    proven: set[str] = set()  # known to compile from an earlier run
    declaring_nonlocal: set[str] = set()  # declare ``nonlocal``: read even when no rule needs them
    for file in files:
        try:
            data = read_bytes(file.path)
        except FileError as error:
            error.path = shown(error.path)
            result.errors.append(error)
            continue
        key = content_key(data, file.module.endswith(".apps"))
        stored = cache.get_content(key)
        if stored is not None and stored[0] is None and file.wanted:
            # Known to compile, but never read: only the records are missing.
            unknown.append((file, key, True))
            proven.add(file.path)
            continue
        if stored is None:
            unknown.append((file, key, not needs_cpython(data)))
            if declares_nonlocal(data):
                declaring_nonlocal.add(file.path)
            continue
        result.from_cache += 1
        cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, None)
        read[file.path] = Read(file.module, file.is_init, stored[0] or [], stored[1])
    if unknown:
        read.update(_parse(unknown, proven, declaring_nonlocal, cache, result, shown))
    return read


def _parse(
    unknown: list[tuple[NewFile, str, bool]],
    proven: set[str],
    declaring_nonlocal: set[str],
    cache: FileCache,
    result: Result,
    shown: Callable[[str], str],
) -> dict[str, Read]:
    # Imported here (only when files must be parsed) and before any worker starts, so that
    # workers share the fast pass's compiled regular expressions instead of each compiling them.
    from django_layers import scan  # noqa: F401, PLC0415

    asked = [file.path for file, _, ruff_may in unknown if ruff_may and file.path not in proven]
    # Ruff runs (on every core) while the files it is asked about are read as if it had
    # vouched for them; those it does not vouch for are compiled and read again afterwards.
    # Those that declare ``nonlocal`` are read even when no rule needs them: CPython checks
    # their declarations (the reader does, for every file assumed valid that holds the word).
    answer = start_ruff(asked) if asked else _nothing_flagged
    assumed = proven | set(asked)
    outcomes: dict[str, Extracted | FileError] = {}
    first = [
        file
        for file, _, _ in unknown
        if file.wanted or file.path not in assumed or file.path in declaring_nonlocal
    ]
    _read_all(first, assumed, outcomes)
    flagged = answer()
    doubted = set(asked) if flagged is None else flagged
    _read_all([f for f, _, _ in unknown if f.path in doubted], set(), outcomes)
    read: dict[str, Read] = {}
    for file, key, _ in unknown:
        outcome = outcomes.get(file.path)
        if outcome is None:
            # Compiles, and no rule reads it: nothing more to do than remember that it compiles.
            cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, [None, []])
            read[file.path] = Read(file.module, file.is_init, [], [])
            continue
        if isinstance(outcome, FileError):
            outcome.path = shown(outcome.path)
            result.errors.append(outcome)
            continue
        records, apps, how = outcome
        if how == "fast":
            result.fast += 1
        elif how == "tree":
            result.tree += 1
        stored: Stored = [records if file.wanted else None, apps]
        cache.put(file.path, file.stat.st_size, file.stat.st_mtime_ns, key, stored)
        read[file.path] = Read(file.module, file.is_init, records, apps)
    return read


def _nothing_flagged() -> set[str]:
    return set()


def _read_all(
    files: list[NewFile], valid: set[str], outcomes: dict[str, Extracted | FileError]
) -> None:
    """Read ``files`` on every core into ``outcomes``; those in ``valid`` are not compiled."""
    tasks = [
        (file.path, file.stat, file.module.endswith(".apps"), file.path in valid, file.wanted)
        for file in files
    ]
    for file, outcome in zip(files, run_all(read_source, tasks), strict=True):
        outcomes[file.path] = outcome
