"""Reading one file's records: from the cache, the fast pass, or the syntax tree.

A file must be valid Python before the fast pass may read it. Proving that is the expensive
part, so the cheapest proof is used first: the interpreter's own bytecode cache. A
``__pycache__`` file whose header names this interpreter and this source's modification time and
size (or hash) exists only because Python compiled this very source successfully, which is the
same test Python applies before it trusts that file on import. Otherwise the source is compiled
into a symbol table (it parses and checks the whole file, without the cost of building a Python
syntax tree). A file that does not compile is reported, never skipped.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import symtable
import warnings
from collections.abc import Callable

from django_layers import extract
from django_layers.extract import Record
from django_layers.model import FileError
from django_layers.nonlocals import nonlocals_compile

# (records, app configs as (name, label), how the records were read: "fast" or "tree")
Extracted = tuple[list[Record], list[tuple[str, str]], str]

_MAGIC = importlib.util.MAGIC_NUMBER
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


def compiled_by_python(path: str, stat: os.stat_result, data: bytes) -> bool:
    """Whether a bytecode file proves that Python compiled exactly this source."""
    try:
        descriptor = os.open(importlib.util.cache_from_source(path), os.O_RDONLY)
    except (OSError, ValueError, NotImplementedError):
        return False
    try:
        header = os.read(descriptor, 16)  # one small read: no buffered file object
    finally:
        os.close(descriptor)
    if len(header) < 16 or header[:4] != _MAGIC:
        return False
    flags = int.from_bytes(header[4:8], "little")
    if flags == 0:
        mtime = int.from_bytes(header[8:12], "little")
        size = int.from_bytes(header[12:16], "little")
        return mtime == int(stat.st_mtime) & 0xFFFFFFFF and size == stat.st_size & 0xFFFFFFFF
    return bool(flags & 1) and header[8:16] == importlib.util.source_hash(data)


def decode(data: bytes) -> str | None:
    """The text of a source, or ``None`` when only the compiler can decode it properly."""
    head = data[: data.find(b"\n", data.find(b"\n") + 1) + 1 or len(data)]
    cookie = _COOKIE.search(head)
    if cookie and cookie.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _syntax_error(path: str, error: SyntaxError) -> FileError:
    line = error.lineno or 1
    return FileError(path, line, error.offset or 1, f"cannot be parsed: {error.msg}")


_READING = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # no newline translation on Windows


def read_bytes(path: str, size: int | None = None) -> bytes:
    """The content of ``path``. ``size``, from a ``stat`` made just before, lets one unbuffered
    read take the whole file: no file object, no buffer, no ``fstat`` (what ``open().read()``
    costs on top, a third of the reading on a tree of small files)."""
    try:
        descriptor = os.open(path, _READING)
        # Asking for one byte more than the size takes the whole file in one read (the next one
        # finds the end); a file that grew since is read on until its end.
        wanted = 1 << 16 if size is None else size + 1
        try:
            chunks = []
            while chunk := os.read(descriptor, wanted):
                chunks.append(chunk)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise FileError(path, 1, 1, f"cannot be read: {error.strerror}") from error
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_file(path: str, stat: os.stat_result, is_apps: bool) -> Extracted:
    """``(records, app_configs, how)`` of a file; :class:`FileError` when it does not compile.

    ``how`` says which way was taken: ``"fast"`` or ``"tree"``.
    """
    data = read_bytes(path, stat.st_size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcome = extract_source(path, stat, data, is_apps, proven=False)
    if isinstance(outcome, FileError):
        raise outcome
    return outcome


def read_source(
    path: str, stat: os.stat_result, is_apps: bool, proven: bool, wanted: bool = True
) -> Extracted | FileError:
    """:func:`extract_source` of the file at ``path``, or the error that stops it.

    ``wanted=False``: only whether the file compiles matters (no rule reads its records), so
    it is compiled and ``([], [], "checked")`` returned."""
    try:
        data = read_bytes(path, stat.st_size)
    except FileError as error:
        return error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract_source(path, stat, data, is_apps, proven, wanted)


def extract_source(
    path: str, stat: os.stat_result, data: bytes, is_apps: bool, proven: bool, wanted: bool = True
) -> Extracted | FileError:
    """What :func:`read_file` returns, for content already read; the error is returned, not
    raised, so that worker processes can hand it back. ``proven``: ruff vouches (or is about
    to) for the source (see :mod:`django_layers.syntax`), so the compiler is asked only about
    its ``nonlocal`` declarations, which ruff does not fully check.

    Compiling someone's code may warn about it (invalid escape sequences, ...), which is not
    ours to say: the caller ignores warnings around it, once for a whole batch of files
    (:func:`read_file`, :func:`read_source`, :func:`django_layers.batch.read_new`)."""
    text = decode(data)
    try:
        if not wanted:
            _compile(path, stat, data, text, proven)
            return [], [], "checked"
        return _extract(path, stat, data, text, is_apps, proven)
    except FileError as error:
        return error


def _compile(
    path: str, stat: os.stat_result, data: bytes, text: str | None, proven: bool = False
) -> None:
    """Raise :class:`FileError` when the source does not compile, as :func:`_extract` would."""
    try:
        if text is None:
            ast.parse(data, path)  # what the syntax tree's reading would decide
        elif proven:
            _check_nonlocals(path, text)
        elif not compiled_by_python(path, stat, data):
            symtable.symtable(text, path, "exec")
    except SyntaxError as error:
        raise _syntax_error(path, error) from error
    except (ValueError, UnicodeDecodeError) as error:  # e.g. a null byte, a bad encoding
        raise FileError(path, 1, 1, f"cannot be parsed: {error}") from error


def _check_nonlocals(path: str, text: str) -> None:
    """For a file ruff vouches for: raise CPython's ``SyntaxError`` when a ``nonlocal``
    declaration is misused (the whole file is compiled only when a statement holding one does
    not compile on its own)."""
    if "nonlocal" in text and not nonlocals_compile(text):
        symtable.symtable(text, path, "exec")


def _scan(
    scan: Callable[[str], list[Record] | None], text: str, proven: bool
) -> list[Record] | None:
    """The fast pass, which may read a file assumed valid before ruff has answered: should
    the file turn out not to be valid, whatever the pass does is read again by the compiler."""
    if not proven:
        return scan(text)
    try:
        return scan(text)
    except Exception:  # a file that does not parse; a bug would only cost the tree
        return None


def _extract(
    path: str, stat: os.stat_result, data: bytes, text: str | None, is_apps: bool, proven: bool
) -> Extracted:
    # The fast pass compiles its regular expressions on import: a run answered from the cache
    # never needs them.
    from django_layers import scan  # noqa: PLC0415

    records = None
    try:
        if text is not None:
            if proven:
                _check_nonlocals(path, text)
            elif not compiled_by_python(path, stat, data):
                symtable.symtable(text, path, "exec")
            records = _scan(scan.scan, text, proven)
        how = "fast"
        if records is None:
            records = extract.extract_ast(data, path)
            how = "tree"
        apps = extract.app_configs(data, path) if is_apps else []
    except SyntaxError as error:
        raise _syntax_error(path, error) from error
    except (ValueError, UnicodeDecodeError) as error:  # e.g. a null byte, a bad encoding
        raise FileError(path, 1, 1, f"cannot be parsed: {error}") from error
    return records, apps, how
