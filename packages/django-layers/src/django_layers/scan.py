"""Fast extraction: the records of :mod:`django_layers.extract` without building a syntax tree.

Building an :mod:`ast` tree for every file dominates a naive checker's run time. Almost every
dependency sits in a plain statement that a regular expression reads exactly, once strings and
comments are known. So one C-speed regular-expression pass finds strings, comments, import
statements that start a line, and the few words that may begin a Django coupling. Anything this
pass cannot read with certainty (an ``import`` after ``;`` or ``:``, a continuation line, an
f-string that nests quotes, an ``else`` after ``if TYPE_CHECKING:``, non-ASCII names, ...)
makes :func:`scan` return ``None`` and the caller falls back to the syntax tree, so the result
is always the reference result. Django couplings, and ``if TYPE_CHECKING:`` blocks, are read by
parsing only the statement they sit in.

The file must be known to be valid Python (see :mod:`django_layers.reader`): the pass relies
on it, e.g. a line that starts with ``import`` can only be an import statement in valid code.
"""

from __future__ import annotations

import re

from django_layers.couplings import call_at, dependencies_at
from django_layers.extract import Record
from django_layers.snippets import (
    COMMENT_OR_STRING,
    END,
    NAME,
    PREFIXES,
    Unsure,
    continues_a_line,
    is_f_string,
    replacement_fields,
)
from django_layers.type_checking import type_checking_at

# Every alternative starts with a literal character, so the regular-expression engine skips
# straight to the next ``#``, quote or candidate word instead of trying each position (this is
# what makes the pass fast). A lone quote is an unterminated string: only the tree can tell.
_LEXER = re.compile(
    COMMENT_OR_STRING
    + r"""
    |'|"
    |import(?:_module)?\b|ForeignKey\b|OneToOneField\b|ManyToManyField\b|get_model\b
    |dependencies\b|TYPE_CHECKING\b
    """,
    re.VERBOSE | re.DOTALL,
)
_KEYWORDS = (
    "import", "ForeignKey", "OneToOneField", "ManyToManyField", "get_model", "dependencies",
    "TYPE_CHECKING",
)  # fmt: skip
_WORDS = re.compile(r"ForeignKey|OneToOneField|ManyToManyField|get_model|import_module")

_DOTTED = rf"{NAME}(?:\.{NAME})*"
# Blanks within a statement, including a backslash that continues it on the next line.
_BLANK = r"(?:[ \t\f]|\\\n)"
_ALIAS = rf"{_DOTTED}(?:{_BLANK}+as{_BLANK}+{NAME})?"
_IMPORT = re.compile(rf"[ \t\f]*import{_BLANK}+({_ALIAS}(?:{_BLANK}*,{_BLANK}*{_ALIAS})*){END}")
_FROM = re.compile(
    rf"[ \t\f]*from{_BLANK}*(\.*){_BLANK}*({_DOTTED})?{_BLANK}+import\b{_BLANK}*"
    rf"(?:(\*)|\(([^)]*)\)|({_ALIAS}(?:{_BLANK}*,{_BLANK}*{_ALIAS})*)){END}"
)
_ALIAS_ONLY = re.compile(rf"({NAME})(?:[ \t\f]+as[ \t\f]+{NAME})?")
_COMMENT = re.compile(r"\#[^\n]*")


def _byte_col(source: str, line_start: int, pos: int) -> int:
    prefix = source[line_start:pos]
    return len(prefix) if prefix.isascii() else len(prefix.encode("utf-8"))


def _names_in_parentheses(text: str) -> list[str]:
    parts = [part.strip() for part in _COMMENT.sub("", text).split(",")]
    if parts and parts[-1] == "":
        parts.pop()
    names = []
    for part in parts:
        match = _ALIAS_ONLY.fullmatch(part)
        if match is None:
            raise Unsure
        names.append(match.group(1))
    if not names:
        raise Unsure
    return names


def _statement(source: str, start: int, line: int, col: int) -> tuple[list[Record], int]:
    """Records of the import statement that starts its line at ``start``, and where it ends."""
    match = _IMPORT.match(source, start)
    if match is not None:
        names = match.group(1).replace("\\\n", " ").split(",")
        aliases = [part.strip().split()[0] for part in names]
        return [("import", line, col, name, 0, None, False) for name in aliases], match.end()
    match = _FROM.match(source, start)
    if match is None:
        raise Unsure
    dots, module, star, grouped, plain = match.groups()
    if star:
        names = ["*"]
    elif grouped is not None:
        names = _names_in_parentheses(grouped)
    else:
        names = [part.strip().split()[0] for part in plain.replace("\\\n", " ").split(",")]
    return [("from", line, col, module or "", len(dots), names, False)], match.end()


def _import_statement(source: str, pos: int, line: int) -> tuple[list[Record], int]:
    """The statement around the ``import`` keyword at ``pos``, which must start its line."""
    line_start = source.rfind("\n", 0, pos) + 1
    before = source[line_start:pos]
    stripped = before.lstrip(" \t\f")
    if stripped and not (stripped.startswith("from") and stripped[4:5] in (" ", "\t", "\f", ".")):
        raise Unsure  # after ``;`` or ``:``
    if continues_a_line(source, line_start):
        raise Unsure  # the line continues the one before: the statement may start there
    if not before.isascii():
        raise Unsure
    return _statement(source, line_start, line, len(before) - len(stripped))


def _last_keyword(source: str) -> int:
    """Where the last of the keywords starts (-1: none). ``import`` usually comes last near the
    top: the other words are looked for forwards in the rest, which is faster than a search
    backwards through the whole file for each."""
    last = source.rfind("import")
    for word in _KEYWORDS[1:]:
        if source.find(word, last + 1) >= 0:
            last = source.rfind(word)
    return last


def scan(source: str) -> list[Record] | None:
    """The records of a valid Python source, or ``None`` when only the syntax tree can tell."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    # Past the last place a keyword occurs at all (in code or not) there is nothing to find: the
    # rest of the file, often most of it (tables, docstrings, code below the imports), is skipped.
    last = _last_keyword(source)
    found: list[Record] = []
    line, counted, resume = 1, 0, 0
    search = _LEXER.search
    try:
        while (match := search(source, resume)) is not None:
            pos = match.start()
            if pos > last:
                break
            resume = match.end()
            first = source[pos]
            if first == "#":
                continue
            if first in "'\"":
                if resume - pos == 1:
                    raise Unsure  # an unterminated string
                if source[pos - 1] in PREFIXES and is_f_string(source, pos):
                    fields = replacement_fields(match.group())
                    if fields is None or _WORDS.search(fields):
                        raise Unsure  # cut short, or a call inside a replacement field
                continue
            if pos and (source[pos - 1].isalnum() or source[pos - 1] == "_"):
                continue  # the end of a longer name
            line += source.count("\n", counted, pos)
            counted = pos
            word = match.group()
            if word == "import":
                records, resume = _import_statement(source, pos, line)
                found.extend(records)
                continue
            if word == "TYPE_CHECKING":
                records, resume = type_checking_at(source, pos, line)
                found.extend(records)
                continue
            line_start = source.rfind("\n", 0, pos) + 1
            if word == "dependencies":
                found.extend(dependencies_at(source, pos, resume, line_start, line))
            else:
                col = _byte_col(source, line_start, pos)
                found.extend(call_at(source, pos, resume, line, col))
    except Unsure:
        return None
    found.sort(key=lambda record: (record[1], record[2], record[0]))
    return found
