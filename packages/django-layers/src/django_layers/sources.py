"""Finding the packages and Python files that ``sources`` and ``ignore`` select."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from pathlib import Path

from django_layers.config import Config, owner
from django_layers.paths import display_path


class Package:
    """A top-level package (or single module) found under the sources."""

    def __init__(self, name: str, path: Path, parent: Path) -> None:
        self.name = name
        self.path = path  # the package directory, or the .py file of a single module
        self.parent = parent  # the directory it is imported from


class SourceTree:
    def __init__(self) -> None:
        self.packages: dict[str, Package] = {}
        # module name -> file path; a package's module is its __init__.py (None: namespace)
        self.modules: dict[str, str | None] = {}
        # (path, module name, whether the file is an __init__.py)
        self.files: list[tuple[str, str, bool]] = []
        self.problems: list[tuple[int, str]] = []


_WORD = re.compile(r"\w+")


def glob_to_regex(pattern: str) -> str:
    """``**`` matches any number of directories, ``*`` and ``?`` stay within one."""
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "".join(out)


def ignore_matcher(patterns: list[str]) -> Callable[[str], bool]:
    """A function telling whether a path relative to the package's parent is ignored."""
    if not patterns:
        return lambda relative: False
    combined = re.compile("|".join(f"(?:{glob_to_regex(p)})" for p in patterns) + r"\Z")
    return lambda relative: combined.match(relative) is not None


def _importable(name: str) -> bool:
    """A name ``importlib.import_module`` can reach (migrations start with digits)."""
    return _WORD.fullmatch(name) is not None


def discover(config: Config) -> SourceTree:
    tree = SourceTree()
    ignored = ignore_matcher(config.ignore)
    for pattern in config.sources:
        full = pattern if os.path.isabs(pattern) else str(config.root / pattern)
        matches = sorted(glob.glob(full))
        if not matches:
            tree.problems.append((config.sources_line, config.unmatched_source(pattern)))
        for match in matches:
            path = Path(match)
            # "*/__init__.py" (the default) selects the folders that are regular packages.
            _add_package(
                tree,
                path.parent if path.name == "__init__.py" else path,
                ignored,
                config.sources_line,
            )
    return tree


def _add_package(tree: SourceTree, path: Path, ignored: Callable[[str], bool], line: int) -> None:
    if path.is_file() and path.suffix == ".py" and path.stem.isidentifier():
        name = path.stem
        if name in tree.packages:
            tree.problems.append((line, f"package {name!r} is found twice: {path}"))
            return
        tree.packages[name] = Package(name, path, path.parent)
        if not ignored(path.name):
            tree.modules[name] = str(path)
            tree.files.append((str(path), name, False))
        return
    if not path.is_dir() or not path.name.isidentifier() or path.name == "__pycache__":
        return
    name = path.name
    if name in tree.packages:
        tree.problems.append((line, f"package {name!r} is found twice: {path}"))
        return
    tree.packages[name] = Package(name, path, path.parent)
    _walk(tree, str(path), name, name, ignored)


def _walk(
    tree: SourceTree, directory: str, module: str, relative: str, ignored: Callable[[str], bool]
) -> None:
    tree.modules.setdefault(module, None)
    subdirectories = []
    with os.scandir(directory) as entries:
        for entry in entries:
            entry_name = entry.name
            if entry_name.endswith(".py"):
                stem = entry_name[:-3]
                if not _importable(stem) or ignored(f"{relative}/{entry_name}"):
                    continue
                if stem == "__init__":
                    tree.modules[module] = entry.path
                    tree.files.append((entry.path, module, True))
                else:
                    tree.modules[f"{module}.{stem}"] = entry.path
                    tree.files.append((entry.path, f"{module}.{stem}", False))
            elif _importable(entry_name) and entry_name != "__pycache__" and entry.is_dir():
                subdirectories.append(entry)
    for entry in subdirectories:
        # Like Python's own package import, only directories with an __init__.py are
        # subpackages: locale, static and template folders are not walked.
        if not os.path.exists(os.path.join(entry.path, "__init__.py")):
            continue
        _walk(tree, entry.path, f"{module}.{entry.name}", f"{relative}/{entry.name}", ignored)


def placement_problems(config: Config, tree: SourceTree) -> list[tuple[int, str]]:
    """Problems only the sources reveal: a package in no layer, a module in no internal layer of
    its package, a name in no source."""
    problems = list(tree.problems)
    named = config.package_lines
    for name, line in sorted(named.items()):
        if name not in tree.modules:
            problems.append((line, f"package {name!r} is named here but found in no source"))
    for package in sorted(tree.packages):
        placed = package in named or any(name.startswith(package + ".") for name in named)
        if not placed:
            problems.append(
                (
                    config.layers_line,
                    f"package {package!r} ({display_path(str(tree.packages[package].path))}) is in "
                    "no layer: add it "
                    "to a layer, to 'isolated', or to 'unlayered'",
                )
            )
    problems.extend(_internal_placement_problems(config, tree))
    return problems


def _internal_placement_problems(config: Config, tree: SourceTree) -> list[tuple[int, str]]:
    problems = []
    for module, line in sorted(config.module_lines.items()):
        if module not in tree.modules:
            problems.append((line, f"module {module!r} is named here but found in no source"))
    listed = {  # a package that lists no module at all has that problem reported already
        package: modules
        for package, layers in config.internal_layers.items()
        if (modules := {module for layer in layers for module in layer.packages})
    }
    for path, module, _ in tree.files:
        package = owner(module, config.package_lines)
        if package in listed and owner(module, listed[package]) is None:
            problems.append(
                (
                    config.internal_lines[package],
                    f"module {module!r} ({display_path(path)}) is in no internal layer of "
                    f"{package!r}: add it, or the package above it, to one of them",
                )
            )
    return problems
