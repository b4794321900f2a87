"""Django couplings for the fast pass: related fields, ``get_model`` and ``import_module``
calls, and a migration's ``dependencies = [...]``, each read by the syntax tree of its own
statement exactly as :mod:`django_layers.extract` reads it in the whole file's tree."""

from __future__ import annotations

import ast
import re

from django_layers.extract import Record, assignment_records, call_records
from django_layers.snippets import (
    AFTER_WORD,
    ASSIGN,
    LINE_REST,
    Unsure,
    bracket_depth,
    continues_a_line,
    offset,
    shortest_statement,
)

_DEFINITION = re.compile(r"\b(?:def|class)[\s\\]*\Z")


def call_at(source: str, pos: int, end: int, line: int, col: int) -> list[Record]:
    if _DEFINITION.search(source, max(0, pos - 40), pos):
        return []  # ``def get_model(...)`` or ``class ForeignKey(...)``: a name, not a call
    follower = AFTER_WORD.match(source, end)
    if follower is None or follower.group(1) in "\n\\#":
        raise Unsure  # the call may continue on the next line: only the tree can tell
    if follower.group(1) != "(":
        return []
    tree, _ = shortest_statement(source, pos, ")", "eval")
    if not isinstance(tree, ast.Expression) or not isinstance(tree.body, ast.Call):
        raise Unsure
    return offset(call_records(tree.body), line, col)


def dependencies_at(source: str, pos: int, end: int, line_start: int, line: int) -> list[Record]:
    """``dependencies = [...]``, read exactly as ``extract.assignment_records`` reads it."""
    before = source[line_start:pos].rstrip(" \t\f")
    follower = AFTER_WORD.match(source, end)
    if follower is None:
        return []  # the end of the file: a bare name
    after = source[follower.start(1) : follower.start(1) + 2]
    if before.endswith("."):
        return []  # an attribute: only a plain name counts
    if after[:1] == "\\":
        raise Unsure  # a continuation line
    if after[:1] == ")" and before.endswith("("):
        closing = ASSIGN.match(source, follower.end(1))
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
    if continues_a_line(source, line_start):
        raise Unsure
    value = AFTER_WORD.match(source, follower.end(1))
    opener = value.group(1) if value is not None else "\n"
    if opener in "\n\\#":
        raise Unsure
    if opener in "[(":
        tree, stop = shortest_statement(source, pos, "]" if opener == "[" else ")", "exec")
        if not isinstance(tree, ast.Module) or len(tree.body) != 1:
            raise Unsure
        if not isinstance(tree.body[0], ast.Assign):
            raise Unsure
        records = assignment_records(tree.body[0])
        if not records:
            return []  # no literal pair: nothing to report, whatever the context
        if bracket_depth(source, pos) != 0:
            return []  # a keyword argument on its own line inside a call
        if LINE_REST.match(source, stop) is None:
            raise Unsure  # ``dependencies = [...] + more``: the value is not the literal alone
        return offset(records, line, pos - line_start)
    if bracket_depth(source, pos) != 0:
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
    if continues_a_line(source, line_start):
        raise Unsure  # the line continues the one before
    if bracket_depth(source, pos) != 0:
        return []  # a parameter or a dictionary key on its own line
    tree, _ = shortest_statement(source, pos, "\n", "exec")
    if not isinstance(tree, ast.Module) or len(tree.body) != 1:
        raise Unsure
    statement = tree.body[0]
    if not isinstance(statement, ast.AnnAssign):
        raise Unsure
    return offset(assignment_records(statement), line, pos - line_start)
