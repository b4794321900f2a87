"""The last run's whole result, kept in the cache folder: an unchanged tree costs its stats.

The per-file cache (:mod:`django_layers.cache`) spares parsing, but a run answered by it still
loads every file's records and resolves and judges every dependency again. When nothing that
decides the result has changed, the result is the same, so it is stored whole under a
fingerprint of everything it depends on:

- this django-layers and this Python (the syntax they accept), and the working directory
  (paths are shown relative to it);
- the configuration, as validated (its content, not its file's modification time);
- every source file's path, size and modification time, in the order the tree lists them
  (a file added, removed, renamed or edited changes it);
- when ``check_dependencies`` is on, the same for each package's ``pyproject.toml``.

A file modified just before the run started (see ``cache.recently_modified``) could be edited
again within the file system's time resolution, keeping its size and time. Such files are
remembered with the hash of their content, and the next run compares those hashes before it
trusts the result (and stores it again without the files that have aged since). The file is
replaced atomically, like the per-file cache.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django_layers.cache import blake2b, content_key, recently_modified, write_atomic
from django_layers.config import Config
from django_layers.model import Dependency, FileError, Result, Violation
from django_layers.version import __version__

FORMAT = 1
FILE_NAME = "result.json"

# (path, size, modification time in ns): what the fingerprint knows of one file.
FileState = tuple[str, int, int]


def fingerprint(config: Config, states: list[FileState]) -> str:
    digest = blake2b(digest_size=20)
    head = [FORMAT, __version__, list(sys.version_info[:2]), os.getcwd(), config.to_dict()]
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    for path, size, mtime_ns in states:
        digest.update(f"\n{path}\0{size}\0{mtime_ns}".encode())
    return digest.hexdigest()


def racy(states: list[FileState], started_ns: int) -> list[str]:
    """The files changed so recently that their size and time may not show a later edit."""
    return [path for path, _, mtime_ns in states if recently_modified(mtime_ns, started_ns)]


def load(directory: Path, key: str) -> tuple[Result, dict[str, str]] | None:
    """The result stored under ``key`` and the content keys of its recently modified files,
    or ``None`` (none, another key, unreadable, or a recently modified file whose content is
    no longer what the result was made from)."""
    try:
        with open(directory / FILE_NAME, encoding="utf-8") as handle:
            data = json.load(handle)
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        recent = dict(data["racy"])
        for path, content in recent.items():
            with open(path, "rb") as source:
                if content_key(source.read(), content.endswith("+apps")) != content:
                    return None
        return _result(data["result"]), recent
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(directory: Path, key: str, result: Result, racy: dict[str, str]) -> None:
    """Store ``result`` under ``key``; ``racy`` gives the content key of each recently modified
    file (when one is missing, it could not be read: nothing is stored)."""
    data = {"key": key, "racy": sorted(racy.items()), "result": _data(result)}
    write_atomic(directory / FILE_NAME, json.dumps(data, separators=(",", ":")))


def replayed(result: Result) -> Result:
    """``result`` as a later run answered by it shows it: every file from the cache (as
    :func:`load` gives it back, without the dependencies, which no output shows)."""
    shown = Result()
    shown.violations, shown.errors = list(result.violations), list(result.errors)
    shown.allowed = result.allowed
    shown.files = shown.from_cache = result.files
    shown.member_of, shown.layer_of = result.member_of, result.layer_of
    return shown


def _data(result: Result) -> dict[str, Any]:
    return {
        "violations": [v.as_dict() for v in result.violations],
        "errors": [[e.path, e.line, e.col, e.message] for e in result.errors],
        "dependencies": [list(d) for d in result.dependencies],
        "allowed": result.allowed,
        "files": result.files,
        "member_of": result.member_of,
        "layer_of": result.layer_of,
    }


def _result(data: dict[str, Any]) -> Result:
    result = Result()
    result.violations = [Violation(**v) for v in data["violations"]]
    result.errors = [FileError(*e) for e in data["errors"]]
    result.dependencies = [Dependency(*d) for d in data["dependencies"]]
    result.allowed = data["allowed"]
    result.files = result.from_cache = data["files"]  # every file answered by the cache
    result.member_of = data["member_of"]
    result.layer_of = data["layer_of"]
    return result
