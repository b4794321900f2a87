"""Whether a file's ``nonlocal`` declarations are valid, compiling only the statements holding them.

Ruff reports every syntax error of a file but three that CPython's symbol table finds: a name
used, or assigned, before its ``nonlocal`` declaration in the same function, and an annotated
``nonlocal`` name. All three concern the scopes of one function, and every scope a ``nonlocal``
can refer to lies inside the top-level statement that holds it (the module's own scope is never
one). So a file that ruff vouches for is valid when each top-level statement holding a
``nonlocal`` compiles on its own, which costs a fraction of compiling the whole file.

Top-level statements start on a line that begins at column 0, outside any string, comment or
bracket and not continued by a backslash. Strings and comments are found by the fast pass's
regular expression, which reads valid Python exactly except an f-string that nests quotes; such
an f-string (its braces do not pair up), or anything else unexpected, answers ``False`` and the
whole file is compiled, as is a file whose statements do not compile on their own.
"""

from __future__ import annotations

import re
import symtable
import warnings

from django_layers.snippets import COMMENT_OR_STRING, PREFIXES, is_f_string, replacement_fields

# Brackets are not tokens: they are counted, at C speed, in the code between two tokens. A line
# at column 0 that goes on with a statement already started (``else:``, ``except``, ...) is no
# start.
_TOKENS = re.compile(
    COMMENT_OR_STRING
    + r"""
    |'|"
    |nonlocal\b
    |\\\n
    |\n(?=[^ \t\f\n\#\\])(?!(?:else|elif|except|finally)\b)
    """,
    re.VERBOSE | re.DOTALL,
)


def _brackets(source: str, start: int, end: int) -> int:
    """How many more brackets open than close in ``source[start:end]`` (code only)."""
    count = source.count
    opened = count("(", start, end) + count("[", start, end) + count("{", start, end)
    return opened - count(")", start, end) - count("]", start, end) - count("}", start, end)


def statements_holding_nonlocal(source: str) -> list[str] | None:
    """The top-level statements of ``source`` (valid Python) that hold a ``nonlocal``
    declaration, or ``None`` when the file cannot be cut with certainty."""
    starts = [0]  # where each top-level statement (or run of blank lines and comments) starts
    holding: list[int] = []  # index in ``starts`` of each statement holding ``nonlocal``
    depth, code_from = 0, 0
    for match in _TOKENS.finditer(source):
        pos = match.start()
        depth += _brackets(source, code_from, pos)
        code_from = match.end()
        token = match.group()
        first = token[0]
        if first == "#":
            continue
        if first in "'\"":
            if len(token) == 1:
                return None  # an unterminated string: not what the expression expects
            f_string = pos and source[pos - 1] in PREFIXES and is_f_string(source, pos)
            if f_string and replacement_fields(token) is None:
                return None  # cut short by nested quotes
            continue
        if first == "\n":
            if depth == 0:
                starts.append(pos + 1)
        elif token == "nonlocal":
            if pos and (source[pos - 1].isalnum() or source[pos - 1] == "_"):
                continue  # the end of a longer name
            if not holding or holding[-1] != len(starts) - 1:
                holding.append(len(starts) - 1)
    if depth + _brackets(source, code_from, len(source)) != 0:
        return None
    starts.append(len(source))
    return [source[starts[index] : starts[index + 1]] for index in holding]


def nonlocals_compile(source: str) -> bool:
    """Whether every top-level statement of ``source`` that holds a ``nonlocal`` compiles on its
    own; ``False`` also when that cannot be told (the caller then compiles the whole file)."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    statements = statements_holding_nonlocal(source)
    if statements is None:
        return False
    # Compiling someone's code may warn about it (invalid escape sequences, ...).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for statement in statements:
            try:
                symtable.symtable(statement, "<statement>", "exec")
            except (SyntaxError, ValueError):
                return False
    return True
