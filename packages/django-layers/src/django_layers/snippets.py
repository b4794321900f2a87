"""What the fast pass (:mod:`django_layers.scan`) and its readers of single statements share.

The fast pass reads a file with regular expressions; where a statement needs more than that (a
Django coupling, an ``if TYPE_CHECKING:`` block) it parses that one statement with :mod:`ast`,
found here as the shortest text that is a complete statement. Anything that cannot be read with
certainty raises :class:`Unsure`, and the whole file is read by its syntax tree instead.
"""

from __future__ import annotations

import ast
import re

from django_layers.extract import Record

# A complete string, as alternatives (any prefix letters are read separately, see is_f_string).
STRING = r"""
    '''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
    |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
    |'[^'\\\n]*(?:\\.[^'\\\n]*)*'
    |"[^"\\\n]*(?:\\.[^"\\\n]*)*"
"""
# Comments and complete strings. The alternatives stay at the top of the expression: a group
# around them would hide their first characters from the engine's quick skip to the next match.
COMMENT_OR_STRING = r"\#[^\n]*|" + STRING
STRINGS_AND_COMMENTS = re.compile(COMMENT_OR_STRING, re.VERBOSE | re.DOTALL)
PREFIXES = frozenset("rRbBuUfF")
NAME = r"[A-Za-z_][A-Za-z0-9_]*"
END = r"[ \t\f]*(?:\#[^\n]*)?(?:\n|\Z)"  # the rest of a line: blanks and a comment
LINE_REST = re.compile(END)
AFTER_WORD = re.compile(r"[ \t\f]*(.)", re.DOTALL)
ASSIGN = re.compile(r"[ \t\f]*=(?!=)[ \t\f]*(.)", re.DOTALL)
MAX_TRIES = 64  # candidate ends tried before a statement is given up to the syntax tree


class Unsure(Exception):
    """The fast pass cannot read this file with certainty; the syntax tree must."""


def continues_a_line(source: str, line_start: int) -> bool:
    """Whether the line that starts at ``line_start`` continues the one before (a backslash)."""
    return line_start >= 2 and source[line_start - 2] == "\\"


def offset(records: list[Record], line: int, col: int) -> list[Record]:
    """Move records parsed from a snippet that starts at (line, col) to file positions."""
    moved = []
    for kind, rline, rcol, target, level, names, _ in records:
        moved.append(
            (
                kind,
                rline + line - 1,
                rcol + col if rline == 1 else rcol,
                target,
                level,
                names,
                False,
            )
        )
    return moved


def shortest_statement(source: str, start: int, closer: str, mode: str) -> tuple[ast.AST, int]:
    """Parse the shortest text from ``start`` to a ``closer`` that is a complete expression."""
    end = start
    for _ in range(MAX_TRIES):
        end = source.find(closer, end) + 1
        if end == 0:
            break
        try:
            return ast.parse(source[start:end], mode=mode), end
        except SyntaxError:
            continue
    raise Unsure


def bracket_depth(source: str, pos: int) -> int:
    """Open brackets at ``pos`` (which is outside any string or comment)."""
    code = STRINGS_AND_COMMENTS.sub("", source[:pos])
    opened = code.count("(") + code.count("[") + code.count("{")
    return opened - code.count(")") - code.count("]") - code.count("}")


def is_f_string(source: str, quote: int) -> bool:
    """Whether the string at ``quote`` has an ``f`` prefix (``elif"x"`` has none)."""
    start = quote
    while (
        start > 0
        and quote - start < 3
        and (source[start - 1].isalnum() or source[start - 1] == "_")
    ):
        start -= 1
    prefix = source[start:quote].lower()
    return "f" in prefix and len(prefix) <= 2 and set(prefix) <= set("rbuf")


def replacement_fields(text: str) -> str | None:
    """The code inside an f-string's braces, or ``None`` when they do not pair up (a string cut
    short by nested quotes, PEP 701)."""
    depth, index, size = 0, 0, len(text)
    inside = []
    while index < size:
        char = text[index]
        if depth == 0 and char in "{}" and text[index + 1 : index + 2] == char:
            index += 2  # ``{{`` or ``}}``: a literal brace
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif depth:
            inside.append(char)
        index += 1
    return "".join(inside) if depth == 0 else None
