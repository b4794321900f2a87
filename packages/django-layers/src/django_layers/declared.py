"""Dependency declarations: each package's pyproject.toml must list exactly the siblings it uses.

A sibling is another package found under the sources whose own pyproject.toml names its
distribution. The pyproject of a package is the nearest one above it, up to the directory of
layers.yaml; packages without one (or outside that directory) are not checked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from django_layers.config import Config
from django_layers.model import Dependency, Result, Violation
from django_layers.paths import display_path
from django_layers.sources import SourceTree

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def find_pyproject(config: Config, start: Path) -> Path | None:
    root = config.root
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    if directory != root and root not in directory.parents:
        return None
    while True:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
        if directory == root:
            return None
        directory = directory.parent


def _names(requirements: object) -> list[str]:
    names = []
    for requirement in requirements if isinstance(requirements, list) else []:
        match = _REQUIREMENT_NAME.match(requirement) if isinstance(requirement, str) else None
        if match:
            names.append(match.group(1))
    return names


def _read(path: Path) -> tuple[str, list[str], list[str]] | None:
    """``(distribution name, dependencies, optional dependencies)`` of a pyproject.toml."""
    # The TOML parser loads only here: most checks read no pyproject.toml at all.
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        return None
    name = project.get("name")
    if not isinstance(name, str):
        return None
    optional = project.get("optional-dependencies", {})
    extras = [
        name
        for group in (optional.values() if isinstance(optional, dict) else [])
        for name in _names(group)
    ]
    return name, _names(project.get("dependencies", [])), extras


def _line_of(path: Path, requirement: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(rf"""["']\s*{re.escape(requirement)}\b""", text):
            return number
    return 1


def declaration_violations(config: Config, tree: SourceTree, result: Result) -> list[Violation]:
    projects: dict[str, tuple[Path, str, list[str]]] = {}
    extras: dict[str, list[str]] = {}
    for name, package in tree.packages.items():
        path = find_pyproject(config, package.path)
        read = _read(path) if path else None
        if path is not None and read is not None:
            projects[name] = (path, read[0], read[1])
            extras[name] = read[2]
    package_of = {normalize(dist): package for package, (_, dist, _) in projects.items()}
    first_use: dict[tuple[str, str], Dependency] = {}
    for dependency in result.dependencies:
        source = dependency.importer.split(".", 1)[0]
        target = dependency.imported.split(".", 1)[0]
        if source != target and source in projects and target in projects:
            first_use.setdefault((source, target), dependency)
    violations = []
    for (source, target), dependency in sorted(first_use.items()):
        path, _, requirements = projects[source]
        declared = {normalize(r) for r in requirements + extras[source]}
        target_dist = projects[target][1]
        if normalize(target_dist) not in declared:
            violations.append(
                Violation(
                    dependency.path, dependency.line, dependency.col, dependency.importer,
                    dependency.imported, dependency.kind, "undeclared",
                    result.layer_of.get(source, ""), result.layer_of.get(target, ""),
                    f"{source} uses {target} but {display_path(str(path))} does not declare "
                    f"{target_dist!r}",
                    f"add {target_dist!r} to [project].dependencies in {display_path(str(path))}",
                )
            )  # fmt: skip
    for source, (path, _, requirements) in sorted(projects.items()):
        for requirement in requirements:
            used = package_of.get(normalize(requirement))
            if used is None or used == source or (source, used) in first_use:
                continue
            target = used
            violations.append(
                Violation(
                    display_path(str(path)), _line_of(path, requirement), 1, source, target,
                    "dependency", "unused", result.layer_of.get(source, ""),
                    result.layer_of.get(target, ""),
                    f"{display_path(str(path))} declares {requirement!r} but {source} never "
                    f"uses {target}",
                    f"remove {requirement!r} from [project].dependencies, or use it",
                )
            )  # fmt: skip
    return violations
