"""What a check's answer depends on in the file system, as ``stat`` results to compare later.

A later run may reuse the answer (see :mod:`django_layers.replay`) when every path here still
has the same modification and change times, size and inode, and without listing a folder or
reading a file. For that the paths cover everything the check looked at:

- every source file read, and each ``pyproject.toml`` whose dependencies are checked;
- every folder whose listing decided which files those are: the folders ``sources`` globs
  list, each package folder walked and each of its subfolders (a subfolder gets an
  ``__init__.py``: only its own time changes), and the folders searched for a
  ``pyproject.toml`` that has none. A folder's modification time changes whenever an entry is
  added, removed or renamed in it.

Nothing is recorded when a folder was modified too recently for its time to show a later
change (see ``cache.recently_modified``), nor when a path can no longer be stated: the next
run checks again and records then. A source modified that recently is kept with the hash of
its content, as the whole result keeps it (:mod:`django_layers.results`).
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path

from django_layers.cache import recently_modified
from django_layers.config import Config
from django_layers.declared import find_pyproject
from django_layers.sources import SourceTree

# (path, (modification ns, change ns, size, inode)): what a later run compares.
Guard = tuple[str, tuple[int, int, int, int]]

_MAGIC = re.compile(r"[*?[]")  # what makes glob list a folder (glob.has_magic)


def fingerprint(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


class Watch:
    """Filled by :func:`django_layers.engine.run_check`: the guards of its answer, or ``None``
    when they cannot prove it (see the module's docstring)."""

    def __init__(self) -> None:
        self.guards: list[Guard] | None = None
        self.racy: list[tuple[str, str]] = []  # (path, content key) of recently modified files

    def record(
        self,
        config: Config,
        tree: SourceTree,
        files: list[tuple[str, os.stat_result | OSError]],
        contents: dict[str, str],
        listed_ns: int,
        stated_ns: int,
    ) -> None:
        """``files``: each source with the ``stat`` its result was made from (taken after
        ``stated_ns``); ``contents``: the content key of each one modified recently before that;
        ``listed_ns``: when the folders started to be listed."""
        guards: list[Guard] = []
        racy: list[tuple[str, str]] = []
        for path, stat in files:
            if isinstance(stat, OSError):
                return
            if recently_modified(stat.st_mtime_ns, stated_ns):
                if path not in contents:
                    return
                racy.append((path, contents[path]))
            guards.append((path, fingerprint(stat)))
        for path in sorted(listed_paths(config, tree)):
            try:
                stat = os.stat(path)
            except OSError:
                return
            if recently_modified(stat.st_mtime_ns, listed_ns):
                return  # changed while (or just before) it was listed
            guards.append((path, fingerprint(stat)))
        self.guards, self.racy = guards, racy


def listed_paths(config: Config, tree: SourceTree) -> set[str]:
    """The folders (and the files tested for existence) whose entries decided the tree."""
    paths: set[str] = set()
    for pattern in config.sources:
        full = pattern if os.path.isabs(pattern) else str(config.root / pattern)
        paths.update(_glob_paths(full))
    for package in tree.packages.values():
        if package.path.is_dir():
            paths.update(_walked(str(package.path)))
    if config.check_dependencies:
        for package in tree.packages.values():
            paths.update(_pyproject_search(config, package.path))
    return paths


def _glob_paths(full: str) -> list[str]:
    """What ``glob.glob(full)`` looks at: each folder it lists and, for a name without
    wildcards, that path when it exists (its own times show it replaced), else its folder."""
    parts = (full.replace(os.altsep, os.sep) if os.altsep else full).split(os.sep)
    first = next((i for i, part in enumerate(parts) if _MAGIC.search(part)), len(parts))
    start = os.sep.join(parts[:first]) or os.sep
    if first == len(parts):
        return [start]
    paths, candidates = [start], [start]
    for index in range(first, len(parts)):
        part, last = parts[index], index == len(parts) - 1
        found: list[str] = []
        for directory in candidates:
            if _MAGIC.search(part):
                paths.append(directory)
                try:
                    names = os.listdir(directory)
                except OSError:
                    continue
                if not part.startswith("."):
                    names = [name for name in names if not name.startswith(".")]
                matched = [os.path.join(directory, n) for n in fnmatch.filter(names, part)]
                found.extend(m for m in matched if last or os.path.isdir(m))
            elif part:
                path = os.path.join(directory, part)
                if os.path.lexists(path):
                    paths.append(path)
                    found.append(path)
                else:
                    paths.append(directory)
        candidates = found
    return paths


def _walked(directory: str) -> list[str]:
    """A package folder, and each folder below it that the walk tested or entered."""
    paths = [directory]
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return paths
    for entry in entries:
        if entry.name != "__pycache__" and not entry.name.startswith(".") and entry.is_dir():
            if os.path.exists(os.path.join(entry.path, "__init__.py")):
                paths.extend(_walked(entry.path))
            else:
                paths.append(entry.path)
    return paths


def _pyproject_search(config: Config, start: Path) -> list[str]:
    """The folders searched for the package's pyproject.toml that had none, and the one found."""
    found = find_pyproject(config, start)
    directory = (start if start.is_dir() else start.parent).resolve()
    if directory != config.root and config.root not in directory.parents:
        return []
    paths = []
    while found is None or directory != found.parent:
        paths.append(str(directory))
        if directory == config.root:
            break
        directory = directory.parent
    if found is not None:
        paths.append(str(found))
    return paths
