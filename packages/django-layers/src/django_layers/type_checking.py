"""``if TYPE_CHECKING:`` blocks for the fast pass: the records of the block a header guards, read by
the syntax tree of that block alone and marked type-only."""

from __future__ import annotations

import ast
import re

from django_layers.extract import Record, tree_records
from django_layers.snippets import (
    AFTER_WORD,
    ASSIGN,
    END,
    MAX_TRIES,
    NAME,
    Unsure,
    continues_a_line,
)

# ``if TYPE_CHECKING:`` or ``elif typing.TYPE_CHECKING:`` alone on its line.
_HEADER = re.compile(
    rf"(?P<indent>[ \t\f]*)(?P<keyword>if|elif)[ \t]+(?P<name>(?:{NAME}\.)*TYPE_CHECKING)"
    rf"[ \t]*:{END}"
)
# What may precede the name on its line when it is the whole test of an ``if``: the keyword and
# opening parentheses (``if (TYPE_CHECKING):``), or only parentheses on a continuation line.
_TEST_START = re.compile(r"[ \t\f(]*(?:(?:el)?if\b[ \t\f(]*)?\Z")
# ``typing.`` before the name (spaces around the dot allowed), to be looked past.
_QUALIFIER = re.compile(rf"(?:{NAME}[ \t\f]*\.[ \t\f]*)+\Z")
# A line that is neither blank nor only a comment, with its indentation: where a block may end.
_DEDENT = re.compile(r"\n([ \t\f]*)(?=[^ \t\f\n#\\])")


def type_checking_at(source: str, pos: int, line: int) -> tuple[list[Record], int]:
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
    if continues_a_line(source, line_start):
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
    follower = AFTER_WORD.match(source, end)
    after = "\n" if follower is None else follower.group(1)
    if before.strip(" \t\f(") and after not in ":)\n\\#":
        return [], end  # ``if TYPE_CHECKING or x:``: the test is larger than the name
    if ASSIGN.match(source, end) is not None:
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
    for _ in range(MAX_TRIES):
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
