"""Reading a docs page: its ```python blocks, and the results its comments state.

``runner.py`` executes what this module reads.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

FENCE_OPEN = re.compile(r"^```python\s*$")
RAISES = re.compile(r"^raises (\w+)$")
ERROR_LINE = re.compile(r"^(\w+Error): (.+)$")
BARE_LITERAL = re.compile(r"^(True|False|None)$")  # "# None now"


@dataclass
class Block:
    path: Path  # the Markdown page
    line: int  # the page's line number of the block's first line of code
    source: str


def extract_blocks(path: Path) -> list[Block]:
    """The ```python blocks of one Markdown page, in order."""
    blocks, current, start = [], None, 0
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if current is None:
            if FENCE_OPEN.match(text):
                current, start = [], number + 1
        elif text.startswith("```"):
            blocks.append(Block(path, start, "\n".join(current) + "\n"))
            current = None
        else:
            current.append(text)
    return blocks


def stated_result(comment: str) -> tuple[str, Any] | None:
    """What a trailing comment says an expression gives: ("raises", name), ("equals", value)."""
    text = comment.lstrip("#").strip()
    if match := RAISES.match(text):
        return ("raises", match.group(1))
    candidates = [text, text.split(": ")[0], text.split(" (")[0]]
    first_word = text.split(" ")[0]
    if BARE_LITERAL.match(first_word):
        candidates.append(first_word)
    for candidate in candidates:
        try:
            return ("equals", ast.literal_eval(candidate))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return None


def relabel(value: Any, labels: dict[str, str]) -> Any:
    """``value`` with the model labels the docs use ("shop.Pet") turned into the test's."""
    if isinstance(value, str):
        for shown, real in labels.items():
            if value.startswith(shown + "."):
                return real + value[len(shown) :]
        return value
    if isinstance(value, dict):
        return {relabel(k, labels): relabel(v, labels) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(relabel(item, labels) for item in value)
    return value


def matches(value: Any, expected: Any) -> bool:
    if isinstance(value, QuerySet):
        value = list(value)
    if isinstance(expected, (list, set, tuple)) and ... in expected:
        return all(item in value for item in expected if item is not ...)
    if isinstance(expected, list) and isinstance(value, (list, tuple)):
        return list(value) == expected
    if isinstance(expected, set) and isinstance(value, (set, frozenset)):
        return set(value) == expected
    return value == expected


def comments_of(block: Block) -> tuple[dict[int, str], set[int]]:
    """Page line number -> the comment on that line; and the lines that are only a comment."""
    found, alone = {}, set()
    for token in tokenize.generate_tokens(io.StringIO(block.source).readline):
        if token.type == tokenize.COMMENT:
            number = block.line - 1 + token.start[0]
            found[number] = token.string
            if not token.line[: token.start[1]].strip():
                alone.add(number)
    return found, alone
