"""Per-file results kept between runs, keyed on path, size and modification time.

The whole cache is one JSON file, replaced atomically (written to a unique temporary file in the
same directory, then ``os.replace``), so two overlapping runs each read a complete cache and the
last one to finish wins; neither can see a half-written file. A file modified less than
``RACY_SECONDS`` before the run started is not stored: within the file system's timestamp
resolution a second edit of the same size could otherwise go unnoticed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from django_layers import __version__

FORMAT = 1
RACY_SECONDS = 2


class FileCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.started_ns = time.time_ns()
        self.entries: dict[str, list] = {}
        self.changed = False
        self.stamp = [FORMAT, __version__, list(sys.version_info[:2])]
        if directory is not None:
            self._load()

    @property
    def file(self) -> Path | None:
        return None if self.directory is None else self.directory / "files.json"

    def _load(self) -> None:
        try:
            with open(self.file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("stamp") == self.stamp:
            entries = data.get("files")
            if isinstance(entries, dict):
                self.entries = entries

    def get(self, path: str, size: int, mtime_ns: int) -> list | None:
        """``[records, app_configs]`` stored for this exact file version, else ``None``."""
        entry = self.entries.get(path)
        if entry is not None and entry[0] == size and entry[1] == mtime_ns:
            return entry[2]
        return None

    def put(self, path: str, size: int, mtime_ns: int, value: list) -> None:
        if self.directory is None:
            return
        if mtime_ns > self.started_ns - RACY_SECONDS * 1_000_000_000:
            self.entries.pop(path, None)
            return
        self.entries[path] = [size, mtime_ns, value]
        self.changed = True

    def forget_missing(self, seen: set[str]) -> None:
        stale = [path for path in self.entries if path not in seen]
        for path in stale:
            del self.entries[path]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        if self.directory is None or not self.changed:
            return
        data = json.dumps({"stamp": self.stamp, "files": self.entries}, separators=(",", ":"))
        write_atomic(self.file, data)


def write_atomic(path: Path, text: str, ignore_folder: bool = True) -> None:
    """Replace ``path`` in one step; a read-only tree is still checked, just not cached.

    ``ignore_folder`` drops a ``.gitignore`` into a new cache folder so it is never committed.
    """
    import tempfile

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if ignore_folder and not ignore.exists():
            ignore.write_text("# created by django-layers\n*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
