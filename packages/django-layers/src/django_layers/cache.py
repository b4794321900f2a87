"""Per-file results kept between runs, keyed on content, found again by path, size and mtime.

Results are stored by a hash of the file's content, so a fresh checkout (every modification time
new) still finds every unchanged file: CI can keep the cache folder between runs (see
docs/packages/layers.md). Beside them, each path remembers the size, modification time and hash
it had, so that an unchanged working tree is answered without reading a file at all.

The whole cache is one JSON file, replaced atomically (written to a unique temporary file in the
same directory, then ``os.replace``), so two overlapping runs each read a complete cache and the
last one to finish wins; neither can see a half-written file. A file modified less than
``RACY_SECONDS`` before the run started is not remembered by path (its result still is, by
content): within the file system's timestamp resolution a second edit of the same size could
otherwise go unnoticed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from django_layers.version import __version__

try:
    # CPython's own BLAKE2: ``hashlib`` would load OpenSSL as well, a few milliseconds of every
    # run that reads a file, for hashes no check uses.
    from _blake2 import blake2b as blake2b  # also for django_layers.results
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b as blake2b

FORMAT = 2
RACY_SECONDS = 2
FINE_RACY_NS = 100_000_000  # 0.1 s


def recently_modified(mtime_ns: int, now_ns: int) -> bool:
    """Whether a file modified at ``mtime_ns`` could still be edited again within its file
    system's time resolution, keeping its size and time.

    A file system that keeps whole seconds (FAT, HFS+, ext3) needs ``RACY_SECONDS``; one that
    keeps finer times advances them with the system clock, whose tick is a few milliseconds,
    so ``FINE_RACY_NS`` is a wide margin there. A time in whole seconds is taken for a coarse
    file system."""
    coarse = mtime_ns % 1_000_000_000 == 0
    return mtime_ns > now_ns - (RACY_SECONDS * 1_000_000_000 if coarse else FINE_RACY_NS)


# What a file yields: [records, app configs], as JSON gives them back (lists, not tuples).
Stored = list[Any]


def content_key(data: bytes, is_apps: bool) -> str:
    """The key of a file's result: its content, and whether its app configs were read."""
    digest = blake2b(data, digest_size=16).hexdigest()
    return digest + "+apps" if is_apps else digest


class FileCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.started_ns = time.time_ns()
        self.paths: dict[str, list[Any]] = {}  # path -> [size, mtime_ns, content key]
        self.contents: dict[str, Stored] = {}  # content key -> result
        self.used: set[str] = set()  # content keys this run needed
        self.keys: dict[str, str] = {}  # path -> content key, for every file read this run
        self.changed = False
        self.stamp = [FORMAT, __version__, list(sys.version_info[:2])]
        if directory is not None:
            self._load()

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else self.directory / "files.json"

    def _load(self) -> None:
        assert self.file is not None
        try:
            with open(self.file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("stamp") == self.stamp:
            paths, contents = data.get("paths"), data.get("contents")
            if isinstance(paths, dict) and isinstance(contents, dict):
                self.paths, self.contents = paths, contents

    def get(self, path: str, size: int, mtime_ns: int) -> Stored | None:
        """The result stored for this exact file version, else ``None``."""
        entry = self.paths.get(path)
        if entry is not None and entry[0] == size and entry[1] == mtime_ns:
            return self.get_content(entry[2])
        return None

    def get_content(self, key: str) -> Stored | None:
        value = self.contents.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, path: str, size: int, mtime_ns: int, key: str, value: Stored | None) -> None:
        """Remember ``path`` as this version of the content ``key`` (whose result is ``value``,
        or already stored when ``None``)."""
        if self.directory is None:
            return
        self.keys[path] = key
        if value is not None:
            self.contents[key] = value
            self.used.add(key)
        if mtime_ns > self.started_ns - RACY_SECONDS * 1_000_000_000:
            self.paths.pop(path, None)
        else:
            self.paths[path] = [size, mtime_ns, key]
        self.changed = True

    def forget_missing(self, seen: set[str]) -> None:
        """Drop the paths not seen in this run and the contents no file needed."""
        stale = [path for path in self.paths if path not in seen]
        for path in stale:
            del self.paths[path]
        unused = [key for key in self.contents if key not in self.used]
        for key in unused:
            del self.contents[key]
        self.changed = self.changed or bool(stale) or bool(unused)

    def save(self) -> None:
        if self.file is None or not self.changed:
            return
        data = {"stamp": self.stamp, "paths": self.paths, "contents": self.contents}
        write_atomic(self.file, json.dumps(data, separators=(",", ":")))


def write_atomic(path: Path | str, text: str | bytes, ignore_folder: bool = True) -> None:
    """Replace ``path`` with ``text`` (UTF-8) or bytes in one step; a read-only tree is still
    checked, just not cached.

    ``ignore_folder`` drops a ``.gitignore`` into a new cache folder so it is never committed.
    """
    path = Path(path)
    data = text.encode() if isinstance(text, str) else text
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if ignore_folder and not ignore.exists():
            ignore.write_text("# created by django-layers\n*\n", encoding="utf-8")
        # A name no other run picks (what ``tempfile.mkstemp`` does, without loading tempfile).
        name = str(path.parent / f".{path.name}-{os.getpid()}-{os.urandom(6).hex()}")
        handle = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        temporary = name  # ours from here on: removed should writing fail
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
