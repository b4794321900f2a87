"""Whether a file's ``nonlocal`` declarations are valid, compiling only the statements holding them.

Ruff reports every syntax error of a file but three that CPython's symbol table finds: a name
used, or assigned, before its ``nonlocal`` declaration in the same function, and an annotated
``nonlocal`` name. All three concern the scopes of one function, and every scope a ``nonlocal``
can refer to lies inside the top-level statement that holds it (the module's own scope is never
one). So a file that ruff vouches for is valid when each top-level statement holding a
``nonlocal`` compiles on its own, which costs a fraction of compiling the whole file. A class is
cut further, into the statements of its body (:func:`narrowed`): no ``nonlocal`` refers to a
class's scope either, and a large class often holds one method that declares ``nonlocal``.

Top-level statements start on a line that begins at column 0, outside any string or comment,
not continued by a backslash and not with a closing bracket (as ``) -> None:`` ends a signature
split over lines). Strings and comments are skipped exactly by a regular expression that reads
valid Python exactly except an f-string that nests quotes; such an f-string (its braces do not
pair up), or anything else unexpected, answers ``None`` and the whole file is compiled.
Brackets are not counted: a line at column 0 inside brackets that does not start with a closing
one is taken for a start, and a statement cut there holds a bracket that is never closed, or
closes one it never opened. Such a statement does not compile on its own, so the whole file is
compiled, as it is whenever a statement does not compile on its own.
"""

from __future__ import annotations

import re
import symtable
import warnings

from django_layers.snippets import STRING, is_f_string, replacement_fields

# Everything that cannot start a statement or declare ``nonlocal``, skipped in one match: code
# without quotes, ``#``, backslashes, newlines or the letter n; comments; strings without an
# ``f`` prefix (an f-string's fields are code: it stops the skip); continued lines; a newline
# that starts no statement (the next line is indented, blank, a comment, a continuation, begins
# with a closing bracket or goes on with a statement already started: ``else:``, ``except``...).
_SKIP = re.compile(
    r"""(?:
        [^'"\#\\\nn]++
        |n(?!onlocal\b)
        |\#[^\n]*+
        |(?<![fF])(?<![fF][rR])(?:"""
    + STRING
    + r""")
        |\\\n
        |\n(?=[ \t\f\n\#\\)\]}]|(?:else|elif|except|finally)\b|\Z)
    )*+""",
    re.VERBOSE | re.DOTALL,
)
_STRING = re.compile(STRING, re.VERBOSE | re.DOTALL)
# A class whose header holds its first line (after decorators, each on one line of its own).
_CLASS_HEADER = re.compile(r"(?:@[^\n]*\n)*class\b[^\n]*:[ \t\f]*(?:\#[^\n]*)?\n")
# The indentation of the first line of a block that is not blank or a comment.
_BLOCK_INDENT = re.compile(r"(?:[ \t\f]*(?:\#[^\n]*)?\n)*([ \t\f]+)[^ \t\f\n\#]")
# A name that a class mangles (``__x`` becomes ``_C__x``): two leading underscores, not two
# trailing ones. Outside its class it would be another name.
_PRIVATE_NAME = re.compile(r"(?<!\w)__\w*(?<!__)(?!\w)")


def statements_holding_nonlocal(source: str) -> list[str] | None:
    """The top-level statements of ``source`` (valid Python) that hold a ``nonlocal``
    declaration, or ``None`` when the file cannot be cut with certainty."""
    starts = [0]  # where each top-level statement (or run of blank lines and comments) starts
    holding: list[int] = []  # index in ``starts`` of each statement holding ``nonlocal``
    skip, size, pos = _SKIP.match, len(source), 0
    while True:
        skipped = skip(source, pos)
        assert skipped is not None  # the expression matches the empty text too
        pos = skipped.end()
        if pos == size:
            break
        char = source[pos]
        if char == "\n":  # a statement starts on the next line
            pos += 1
            starts.append(pos)
        elif char == "n":  # ``nonlocal``, unless it ends a longer name
            longer_name = pos and (source[pos - 1].isalnum() or source[pos - 1] == "_")
            if not longer_name and (not holding or holding[-1] != len(starts) - 1):
                holding.append(len(starts) - 1)
            pos += len("nonlocal")
        elif char in "'\"":  # an f-string, or a quote that opens no complete string
            string = _STRING.match(source, pos)
            if string is None:
                return None  # an unterminated string: not what the expression expects
            if is_f_string(source, pos) and replacement_fields(string.group()) is None:
                return None  # cut short by nested quotes
            pos = string.end()
        else:
            return None  # a backslash that continues no line: not valid Python
    starts.append(size)
    return [source[starts[index] : starts[index + 1]] for index in holding]


def narrowed(statement: str) -> list[str]:
    """The parts of a top-level ``statement`` holding ``nonlocal`` to compile on their own: the
    statement itself, or, for a class, the statements of its body holding it, dedented (and so
    on, for a class in a class). ``nonlocal`` never refers to a class's scope, so each function
    of a class is checked by itself; a class's body is large, a method holding ``nonlocal`` is
    not. The body is cut as a file is: a part cut where no statement starts does not compile on
    its own, and the caller then compiles the whole file. Dedenting changes at most the text
    of a string, never a name or a scope; a part that holds a name the class mangles (where
    ``__x`` and ``_C__x`` are one name) is not taken out of its class."""
    header = _CLASS_HEADER.match(statement)
    if header is None:
        return [statement]
    body = statement[header.end() :]
    indent = _BLOCK_INDENT.match(body)
    if indent is None:
        return [statement]
    dedented = re.sub(f"(?m)^{re.escape(indent.group(1))}", "", body)
    inner = statements_holding_nonlocal(dedented)
    if not inner:
        return [statement]  # cannot be cut with certainty
    parts = [part for inner_statement in inner for part in narrowed(inner_statement)]
    if any(_PRIVATE_NAME.search(part) for part in parts):
        return [statement]
    return parts


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
        for statement in [part for whole in statements for part in narrowed(whole)]:
            try:
                symtable.symtable(statement, "<statement>", "exec")
            except (SyntaxError, ValueError):
                return False
    return True
