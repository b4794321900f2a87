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

import ast
import re

from django_layers.extract import Record, assignment_records, call_records, tree_records

# Comments and complete strings (any prefix letters are read separately, see is_f_string).
COMMENT_OR_STRING = r"""
    \#[^\n]*
    |'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
    |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
    |'[^'\\\n]*(?:\\.[^'\\\n]*)*'
    |"[^"\\\n]*(?:\\.[^"\\\n]*)*"
"""
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
_STRINGS_AND_COMMENTS = re.compile(COMMENT_OR_STRING, re.VERBOSE | re.DOTALL)
_KEYWORDS = (
    "import", "ForeignKey", "OneToOneField", "ManyToManyField", "get_model", "dependencies",
    "TYPE_CHECKING",
)  # fmt: skip
_WORDS = re.compile(r"ForeignKey|OneToOneField|ManyToManyField|get_model|import_module")

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
# Blanks within a statement, including a backslash that continues it on the next line.
_BLANK = r"(?:[ \t\f]|\\\n)"
_ALIAS = rf"{_DOTTED}(?:{_BLANK}+as{_BLANK}+{_NAME})?"
_END = r"[ \t\f]*(?:\#[^\n]*)?(?:\n|\Z)"
_IMPORT = re.compile(rf"[ \t\f]*import{_BLANK}+({_ALIAS}(?:{_BLANK}*,{_BLANK}*{_ALIAS})*){_END}")
_FROM = re.compile(
    rf"[ \t\f]*from{_BLANK}*(\.*){_BLANK}*({_DOTTED})?{_BLANK}+import\b{_BLANK}*"
    rf"(?:(\*)|\(([^)]*)\)|({_ALIAS}(?:{_BLANK}*,{_BLANK}*{_ALIAS})*)){_END}"
)
_ALIAS_ONLY = re.compile(rf"({_NAME})(?:[ \t\f]+as[ \t\f]+{_NAME})?")
_COMMENT = re.compile(r"\#[^\n]*")
_CALL_OPEN = re.compile(r"[ \t\f]*\(")
_AFTER_WORD = re.compile(r"[ \t\f]*(.)", re.DOTALL)
_DEFINITION = re.compile(r"\b(?:def|class)[\s\\]*\Z")
_ASSIGN = re.compile(r"[ \t\f]*=(?!=)[ \t\f]*(.)", re.DOTALL)
_LINE_REST = re.compile(_END)
# ``if TYPE_CHECKING:`` or ``elif typing.TYPE_CHECKING:`` alone on its line.
_HEADER = re.compile(
    rf"(?P<indent>[ \t\f]*)(?P<keyword>if|elif)[ \t]+(?P<name>(?:{_NAME}\.)*TYPE_CHECKING)"
    rf"[ \t]*:{_END}"
)
# What may precede the name on its line when it is the whole test of an ``if``: the keyword and
# opening parentheses (``if (TYPE_CHECKING):``), or only parentheses on a continuation line.
_TEST_START = re.compile(r"[ \t\f(]*(?:(?:el)?if\b[ \t\f(]*)?\Z")
# ``typing.`` before the name (spaces around the dot allowed), to be looked past.
_QUALIFIER = re.compile(rf"(?:{_NAME}[ \t\f]*\.[ \t\f]*)+\Z")
# A line that is neither blank nor only a comment, with its indentation: where a block may end.
_DEDENT = re.compile(r"\n([ \t\f]*)(?=[^ \t\f\n#\\])")
_MAX_TRIES = 64
PREFIXES = frozenset("rRbBuUfF")


class Unsure(Exception):
    """The fast pass cannot read this file with certainty; the syntax tree must."""


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


def _offset(records: list[Record], line: int, col: int) -> list[Record]:
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


def _snippet(source: str, start: int, closer: str, mode: str) -> tuple[ast.AST, int]:
    """Parse the shortest text from ``start`` to a ``closer`` that is a complete expression."""
    end = start
    for _ in range(_MAX_TRIES):
        end = source.find(closer, end) + 1
        if end == 0:
            break
        try:
            return ast.parse(source[start:end], mode=mode), end
        except SyntaxError:
            continue
    raise Unsure


def _bracket_depth(source: str, pos: int) -> int:
    """Open brackets at ``pos`` (which is outside any string or comment)."""
    code = _STRINGS_AND_COMMENTS.sub("", source[:pos])
    opened = code.count("(") + code.count("[") + code.count("{")
    return opened - code.count(")") - code.count("]") - code.count("}")


def _call(source: str, pos: int, end: int, line: int, col: int) -> list[Record]:
    if _DEFINITION.search(source, max(0, pos - 40), pos):
        return []  # ``def get_model(...)`` or ``class ForeignKey(...)``: a name, not a call
    follower = _AFTER_WORD.match(source, end)
    if follower is None or follower.group(1) in "\n\\#":
        raise Unsure  # the call may continue on the next line: only the tree can tell
    if follower.group(1) != "(":
        return []
    tree, _ = _snippet(source, pos, ")", "eval")
    if not isinstance(tree, ast.Expression) or not isinstance(tree.body, ast.Call):
        raise Unsure
    return _offset(call_records(tree.body), line, col)


def _dependencies(source: str, pos: int, end: int, line_start: int, line: int) -> list[Record]:
    """``dependencies = [...]``, read exactly as ``extract.assignment_records`` reads it."""
    before = source[line_start:pos].rstrip(" \t\f")
    follower = _AFTER_WORD.match(source, end)
    if follower is None:
        return []  # the end of the file: a bare name
    after = source[follower.start(1) : follower.start(1) + 2]
    if before.endswith("."):
        return []  # an attribute: only a plain name counts
    if after[:1] == "\\":
        raise Unsure  # a continuation line
    if after[:1] == ")" and before.endswith("("):
        closing = _ASSIGN.match(source, follower.end(1))
        if closing is not None:
            raise Unsure  # ``(dependencies) = ...`` assigns the plain name
        return []
    if after[:1] == ":" and after != ":=":
        return _annotated_dependencies(source, pos, line_start, line, before)
    if after[:1] != "=" or after == "==":
        return []  # a read, a call, ``+=``: not an assignment
    if before:
        # A keyword argument, unless it is a chained target or follows ``;`` or ``:``.
        if before[-1] in "=;:\\":
            raise Unsure
        return []
    if line_start >= 2 and source[line_start - 2] == "\\":
        raise Unsure
    value = _AFTER_WORD.match(source, follower.end(1))
    opener = value.group(1) if value is not None else "\n"
    if opener in "\n\\#":
        raise Unsure
    if opener in "[(":
        tree, stop = _snippet(source, pos, "]" if opener == "[" else ")", "exec")
        if not isinstance(tree, ast.Module) or len(tree.body) != 1:
            raise Unsure
        if not isinstance(tree.body[0], ast.Assign):
            raise Unsure
        records = assignment_records(tree.body[0])
        if not records:
            return []  # no literal pair: nothing to report, whatever the context
        if _bracket_depth(source, pos) != 0:
            return []  # a keyword argument on its own line inside a call
        if _LINE_REST.match(source, stop) is None:
            raise Unsure  # ``dependencies = [...] + more``: the value is not the literal alone
        return _offset(records, line, pos - line_start)
    if _bracket_depth(source, pos) != 0:
        return []  # a keyword argument on its own line inside a call
    line_end = source.find("\n", end)
    if "=" in source[follower.end(1) : line_end if line_end >= 0 else len(source)]:
        raise Unsure  # ``dependencies = other = [...]`` chains targets
    return []  # ``dependencies = some_name``: not a literal list


def _annotated_dependencies(
    source: str, pos: int, line_start: int, line: int, before: str
) -> list[Record]:
    """``dependencies: list = [...]``, read by the syntax tree of that one statement.

    Elsewhere the name followed by ``:`` is a parameter, a lambda's argument, a dictionary
    key or a test (``if dependencies:``): no assignment.
    """
    if before:
        if before[-1] in ";:\\":
            raise Unsure  # a statement after ``;`` or ``class A:`` on the same line
        return []
    if line_start >= 2 and source[line_start - 2] == "\\":
        raise Unsure  # the line continues the one before
    if _bracket_depth(source, pos) != 0:
        return []  # a parameter or a dictionary key on its own line
    tree, _ = _snippet(source, pos, "\n", "exec")
    if not isinstance(tree, ast.Module) or len(tree.body) != 1:
        raise Unsure
    statement = tree.body[0]
    if not isinstance(statement, ast.AnnAssign):
        raise Unsure
    return _offset(assignment_records(statement), line, pos - line_start)


def _type_checking(source: str, pos: int, line: int) -> tuple[list[Record], int]:
    """The name ``TYPE_CHECKING`` at ``pos``: the records of the block it guards when it is the
    whole test of an ``if`` or ``elif`` written on one line, and where reading goes on.

    Only a test that is exactly the name (or ``something.TYPE_CHECKING``) makes its block
    type-only. When anything other than ``if``, ``elif`` and parentheses precedes the name on
    its line (``if not TYPE_CHECKING:``, ``TYPE_CHECKING = typing.TYPE_CHECKING``), or the test
    goes on after it (``if TYPE_CHECKING and x:``), the test is a larger expression and the
    name changes nothing: reading goes on after it. What cannot be told from the line alone (a
    test split over lines, ``if (TYPE_CHECKING):``) is left to the tree of the whole file.
    """
    line_start = source.rfind("\n", 0, pos) + 1
    if line_start >= 2 and source[line_start - 2] == "\\":
        raise Unsure  # the line continues the one before
    end = pos + len("TYPE_CHECKING")
    header = _HEADER.match(source, line_start)
    if header is not None and header.end("name") == end:
        return _type_checking_block(source, header, line_start, line)
    before = source[line_start:pos]
    qualifier = _QUALIFIER.search(before)
    if qualifier is not None:
        before = before[: qualifier.start()]
    if _TEST_START.match(before) is None:
        return [], end  # inside a larger statement or expression
    follower = _AFTER_WORD.match(source, end)
    after = "\n" if follower is None else follower.group(1)
    if before.strip(" \t\f(") and after not in ":)\n\\#":
        return [], end  # ``if TYPE_CHECKING or x:``: the test is larger than the name
    if _ASSIGN.match(source, end) is not None:
        return [], end  # ``TYPE_CHECKING = False``, or a keyword argument
    raise Unsure


def _type_checking_block(
    source: str, header: re.Match[str], line_start: int, line: int
) -> tuple[list[Record], int]:
    """The records of the ``if``/``elif TYPE_CHECKING:`` block whose header is ``header``,
    read by the syntax tree from the header to the end of its block, and where that block ends.

    The block ends at the first line indented no deeper than the header that is a real
    statement boundary: each candidate line is tried, and only a cut that leaves valid Python
    (no string, bracket or continuation left open) is one. An ``elif`` is read as the ``if`` it
    is within its statement; an ``else`` or ``elif`` after the block is ordinary code that the
    fast pass goes on to read (its test, if it is ``TYPE_CHECKING``, comes back here).
    """
    indent = header.group("indent")
    keyword_end = header.end("keyword")
    candidates = _DEDENT.finditer(source, header.end())
    for _ in range(_MAX_TRIES):
        candidate = next(candidates, None)
        while candidate is not None and len(candidate.group(1)) > len(indent):
            candidate = next(candidates, None)
        end = len(source) if candidate is None else candidate.start() + 1
        block = indent + "if" + source[keyword_end:end]
        if "\t" in block or "\f" in block or (candidate and candidate.group(1).strip(" ")):
            raise Unsure  # tabs and form feeds: indentation only the tokenizer can measure
        snippet = f"if 1:\n{block}" if indent else block
        try:
            tree = ast.parse(snippet)
        except SyntaxError:
            if candidate is None:
                raise Unsure from None
            continue
        shift = line - (2 if indent else 1)
        records = [(r[0], r[1] + shift, r[2], r[3], r[4], r[5], r[6]) for r in tree_records(tree)]
        return records, end
    raise Unsure


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


def _import_statement(source: str, pos: int, line: int) -> tuple[list[Record], int]:
    """The statement around the ``import`` keyword at ``pos``, which must start its line."""
    line_start = source.rfind("\n", 0, pos) + 1
    before = source[line_start:pos]
    stripped = before.lstrip(" \t\f")
    if stripped and not (stripped.startswith("from") and stripped[4:5] in (" ", "\t", "\f", ".")):
        raise Unsure  # after ``;`` or ``:``
    if line_start >= 2 and source[line_start - 2] == "\\":
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
                records, resume = _type_checking(source, pos, line)
                found.extend(records)
                continue
            line_start = source.rfind("\n", 0, pos) + 1
            if word == "dependencies":
                found.extend(_dependencies(source, pos, resume, line_start, line))
            else:
                col = _byte_col(source, line_start, pos)
                found.extend(_call(source, pos, resume, line, col))
    except Unsure:
        return None
    found.sort(key=lambda record: (record[1], record[2], record[0]))
    return found


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
