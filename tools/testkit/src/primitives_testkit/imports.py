"""The import graph among one package's own modules, read from the source without importing it.

Every import counts: at the top of a module, inside a function (where it hides a cycle from
whoever reads only the top), and under ``if TYPE_CHECKING:``. ``from package import submodule``
is an edge to the submodule, as the import system sees it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path


def module_imports(package_dir: Path) -> dict[str, set[str]]:
    """``{module: {modules of the same package it imports}}`` for the package in ``package_dir``
    (the folder holding its ``__init__.py``)."""
    files = {_module_name(package_dir, path): path for path in sorted(package_dir.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        graph[module] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            for target in _targets(node, module, path.name == "__init__.py", files):
                if target in files and target != module:
                    graph[module].add(target)
    return graph


def import_cycles(package_dir: Path) -> list[list[str]]:
    """Each group of modules that import one another in a circle (sorted), none when the
    package's imports go one way only."""
    graph = module_imports(package_dir)
    return sorted(sorted(group) for group in _strongly_connected(graph) if len(group) > 1)


def classes_named(package_dir: Path, suffix: str) -> dict[str, str]:
    """``{class name: module defining it}`` for every class of the package whose name ends in
    ``suffix`` (``"QuerySet"``: where a package's querysets live), read from the source."""
    return {
        node.name: _module_name(package_dir, path)
        for path in sorted(package_dir.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.ClassDef) and node.name.endswith(suffix)
    }


def _module_name(package_dir: Path, path: Path) -> str:
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.AST, module: str, is_package: bool, modules: Iterable[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the module's own package, one level up per extra dot
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - node.level + 1]
        base = ".".join(anchor + ([node.module] if node.module else []))
    # ``from package import submodule`` is an edge to the submodule; any other name imported
    # (``from module import name``) is an edge to the module itself.
    named = [f"{base}.{alias.name}" for alias in node.names]
    submodules = [name for name in named if name in modules]
    return submodules if len(submodules) == len(named) else [*submodules, base]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (no recursion limit for deep packages)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups
