"""The reference extraction: every dependency a Python file declares, read from its syntax tree.

A record is a plain tuple so that it can be cached as JSON and compared in tests:
``(kind, line, col, target, level, names, type_only)``

- ``import``: ``import a.b`` -> target ``"a.b"``, level 0, names ``None``.
- ``from``: ``from ..a import b, c`` -> target ``"a"``, level 2, names ``["b", "c"]``.
- ``import_module``: ``importlib.import_module("a.b")`` -> target ``"a.b"`` (a relative name is
  resolved against a literal ``package``; without one the call is not a dependency).
- ``model`` / ``get_model`` / ``migration``: a Django app label (``"parties.Person"`` in a related
  field, ``apps.get_model("parties", ...)``, ``dependencies = [("parties", "0001_initial")]``).

``line`` is 1-based and ``col`` the 0-based UTF-8 byte offset, exactly as :mod:`ast` reports them.
:mod:`django_layers.scan` must produce the same records; this module is what it is tested against.
"""

from __future__ import annotations

import ast
from typing import NamedTuple

RELATED_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
CALL_NAMES = RELATED_FIELDS | {"get_model", "import_module"}

# (kind, line, col, target, level, names, type_only); the cache gives them back as lists.
Record = tuple[str, int, int, str, int, "list[str] | None", bool]


class _Literal(NamedTuple):
    """A string literal and where it starts."""

    value: str
    line: int
    col: int


def callee_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _string(node: ast.AST | None) -> _Literal | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _Literal(node.value, node.lineno, node.col_offset)
    return None


def _argument(call: ast.Call, keyword: str, position: int = 0) -> ast.AST | None:
    """The call's positional argument at ``position`` when there is one, else the keyword."""
    if len(call.args) > position:
        return call.args[position]
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return None


def _resolve_relative(name: str, package: str) -> str | None:
    level = len(name) - len(name.lstrip("."))
    parts = package.split(".")
    if level > len(parts):
        return None
    base = ".".join(parts[: len(parts) - level + 1])
    rest = name[level:]
    return f"{base}.{rest}" if rest else base


def call_records(call: ast.Call, type_only: bool = False) -> list[Record]:
    """Dependencies one call expression declares (its arguments' own calls are not visited)."""
    name = callee_name(call)
    if name in RELATED_FIELDS:
        target = _string(_argument(call, "to"))
        if target is not None and "." in target.value:
            label = target.value.split(".", 1)[0]
            return [("model", target.line, target.col, label, 0, None, type_only)]
    elif name == "get_model":
        target = _string(_argument(call, "app_label"))
        if target is not None and target.value:
            label = target.value.split(".", 1)[0]
            return [("get_model", target.line, target.col, label, 0, None, type_only)]
    elif name == "import_module":
        target = _string(_argument(call, "name"))
        if target is not None and target.value:
            module: str | None = target.value
            if target.value.startswith("."):
                package = _string(_argument(call, "package", 1))
                module = _resolve_relative(target.value, package.value) if package else None
            if module:
                return [("import_module", target.line, target.col, module, 0, None, type_only)]
    return []


def assignment_records(node: ast.Assign | ast.AnnAssign, type_only: bool = False) -> list[Record]:
    """Migration dependencies: ``dependencies = [("app_label", "0001_initial"), ...]``."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if not any(isinstance(t, ast.Name) and t.id == "dependencies" for t in targets):
        return []
    if not isinstance(node.value, (ast.List, ast.Tuple)):
        return []
    found: list[Record] = []
    for item in node.value.elts:
        if isinstance(item, (ast.Tuple, ast.List)) and len(item.elts) == 2:
            label, migration = (_string(e) for e in item.elts)
            if label is not None and migration is not None:
                found.append(
                    ("migration", item.lineno, item.col_offset, label.value, 0, None, type_only)
                )
    return found


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def tree_records(tree: ast.AST) -> list[Record]:
    """Every record in a parsed module, in source order."""
    found: list[Record] = []
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, type_only = stack.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(
                    ("import", node.lineno, node.col_offset, alias.name, 0, None, type_only)
                )
            continue
        if isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            module = node.module or ""
            found.append(
                ("from", node.lineno, node.col_offset, module, node.level, names, type_only)
            )
            continue
        if isinstance(node, ast.Call):
            found.extend(call_records(node, type_only))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            found.extend(assignment_records(node, type_only))
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend((child, True) for child in reversed(node.body))
            stack.extend((child, type_only) for child in reversed(node.orelse))
            stack.append((node.test, type_only))
            continue
        stack.extend((child, type_only) for child in reversed(list(ast.iter_child_nodes(node))))
    return sorted(found, key=lambda record: (record[1], record[2], record[0]))


def extract_ast(source: bytes | str, filename: str = "<unknown>") -> list[Record]:
    """Parse ``source`` and return its records; raises :class:`SyntaxError` when it cannot."""
    return tree_records(ast.parse(source, filename))


def app_configs(source: bytes | str, filename: str = "<unknown>") -> list[tuple[str, str]]:
    """``(name, label)`` of each class in an apps.py that sets ``name`` or ``label`` literally."""
    found = []
    for node in ast.parse(source, filename).body:
        if not isinstance(node, ast.ClassDef):
            continue
        values = {}
        for item in node.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1:
                target, value = item.targets[0], _string(item.value)
                if isinstance(target, ast.Name) and value is not None:
                    values[target.id] = value.value
        if "name" in values or "label" in values:
            found.append((values.get("name", ""), values.get("label", "")))
    return found
