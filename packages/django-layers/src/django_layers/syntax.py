"""Which files are valid Python: ruff's parser vouches for the bulk, CPython decides the rest.

The fast pass (:mod:`django_layers.scan`) may only read a file known to be valid Python for the
interpreter running the check, and a file that is not must be reported with its line and column.
CPython's compiler is the authority, but it costs milliseconds per file, which on a fresh
checkout of a large repository is most of a run. Ruff's parser (Rust, on every core, wheels for
every platform) reads a whole tree in a small fraction of that. So every new file goes to ruff
once, and:

- a file ruff reports nothing about is valid. Ruff reports every syntax error of the target
  version (this interpreter's), and the rules in :data:`RULES` report the errors CPython's symbol
  table adds to the grammar (``global`` misuse, ``import *`` in a function, ``yield`` in a
  comprehension, unbound ``nonlocal``);
- a file ruff reports anything about, or cannot read, or one whose verdict ruff's word cannot
  settle (a null byte, or an encoding other than UTF-8: ruff may be asked about it when every
  file is, its answer is not used) is compiled by CPython, whose verdict, message, line and
  column stand;
- a file that holds the word ``nonlocal``, whose remaining misuses have no ruff rule, has the
  top-level statements that hold it (for a class, the statements of its body) compiled by
  CPython as well (:mod:`django_layers.nonlocals`); should any of them not compile on its own,
  the whole file is compiled.

When ruff cannot be run, or answers anything unexpected, CPython checks every file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

from django_layers.reader import decode

# pyflakes F406/F704 and pylint PLE0115/PLE0117/PLE0118: CPython's symbol-table errors.
RULES = ("F406", "F704", "PLE0115", "PLE0117", "PLE0118")
# Command lines stay far below every platform's limit (32,767 characters on Windows).
_ARGUMENT_CHARACTERS = 24_000 if sys.platform == "win32" else 200_000


def ruff_binary() -> str | None:
    """The ruff executable installed with this package, or ``None`` when there is none."""
    if sys.prefix != sys.base_prefix:
        # In a virtual environment ruff's installer puts it beside this interpreter's scripts,
        # the first place ``find_ruff_bin`` looks: found there without loading ``sysconfig``
        # and every other candidate location.
        scripts = "Scripts" if sys.platform == "win32" else "bin"
        suffix = ".exe" if sys.platform == "win32" else ""
        beside = os.path.join(sys.prefix, scripts, f"ruff{suffix}")
        if os.path.isfile(beside):
            return beside
    try:
        from ruff import find_ruff_bin  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - ruff is a dependency
        return None
    try:
        return str(find_ruff_bin())
    except FileNotFoundError:  # pragma: no cover - a broken installation
        return None


def target_version() -> str:
    """This interpreter's version as ruff spells it: syntax it lacks is an error."""
    return f"py3{min(max(sys.version_info[1], 7), 14)}"


def needs_cpython(data: bytes) -> bool:
    """Whether only CPython can decide on this file, whatever ruff says."""
    if b"\0" in data:
        return True
    if data.isascii():
        return False
    return decode(data) is None


def declares_nonlocal(data: bytes) -> bool:
    """Whether ruff's word on this file needs CPython's on its ``nonlocal`` declarations."""
    return b"nonlocal" in data


def _batches(paths: list[str]) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    size = 0
    for path in paths:
        if batches[-1] and size + len(path) + 1 > _ARGUMENT_CHARACTERS:
            batches.append([])
            size = 0
        batches[-1].append(path)
        size += len(path) + 1
    return batches


def flagged_by_ruff(paths: list[str], binary: str | None = None) -> set[str] | None:
    """The files among ``paths`` (absolute) that ruff reports anything about; ``None`` when
    ruff did not vouch for all of them (not installed, failed, or answered unexpectedly)."""
    return start_ruff(paths, binary)()


def start_ruff(paths: list[str], binary: str | None = None) -> Callable[[], set[str] | None]:
    """Start ruff on ``paths`` (one process per batch, all at once) and return the function
    that waits for its answer, :func:`flagged_by_ruff`'s: the caller works meanwhile."""
    binary = binary or ruff_binary()
    if binary is None:
        return lambda: None
    command = [
        binary, "check", "--isolated", "--no-cache", "--ignore-noqa", "--exit-zero", "--no-fix",
        "--output-format", "json", "--target-version", target_version(),
        "--select", ",".join(RULES), "--",
    ]  # fmt: skip
    started: list[tuple[list[str], subprocess.Popen[bytes] | None]] = []
    for batch in _batches(paths):
        if not batch:
            continue
        try:
            process = subprocess.Popen(
                [*command, *batch], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError:
            process = None
        started.append((batch, process))

    def answer() -> set[str] | None:
        flagged: set[str] = set()
        trusted = True
        for batch, process in started:
            if process is None:
                trusted = False
                continue
            output, _ = process.communicate()  # every process is waited for, even after a failure
            reports = _read_reports(batch, output) if process.returncode == 0 else None
            if reports is None:
                trusted = False
            else:
                flagged |= reports
        return flagged if trusted else None

    return answer


def _read_reports(batch: list[str], output: bytes) -> set[str] | None:
    try:
        reports = json.loads(output)
    except ValueError:
        return None
    if not isinstance(reports, list):
        return None
    asked = {os.path.normcase(path): path for path in batch}
    flagged: set[str] = set()
    for report in reports:
        name = report.get("filename") if isinstance(report, dict) else None
        path = asked.get(os.path.normcase(name)) if isinstance(name, str) else None
        if path is None:
            return None  # a file we did not ask about: ruff's answer cannot be trusted
        flagged.add(path)
    return flagged
