"""The values a layers.yaml describes: :class:`Config`, its layers and exceptions, its errors.

Plain values only: :mod:`django_layers.schema` reads them from YAML, :mod:`django_layers.loading`
finds or keeps them.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path
from typing import Any

# The packages beside layers.yaml, as `django-admin startproject` lays them out: a match that is
# an ``__init__.py`` selects its folder (sources.discover).
DEFAULT_SOURCES = ("*/__init__.py",)
# Tests may reach across boundaries; startapp's tests.py included.
DEFAULT_IGNORE = (
    "**/tests/**",
    "**/tests.py",
    "**/test_*.py",
    "**/*_tests.py",
    "**/conftest.py",
)
DEFAULT_CACHE_DIR = ".django-layers-cache"


class ConfigError(Exception):
    """layers.yaml cannot be used; ``problems`` lists every ``(line, message)`` found."""

    def __init__(self, path: Path, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = sorted(problems)
        # Line 0: a problem of no line (the file cannot be read, sources set in code).
        lines = "\n".join(
            f"{path}:{line}: {message}" if line else f"{path}: {message}"
            for line, message in self.problems
        )
        super().__init__(f"{len(self.problems)} problem(s) in {path}:\n{lines}")


class Layer:
    """A layer of ``layers``, or an internal layer of one package (``packages`` then holds the
    package's modules, written ``modules`` in layers.yaml)."""

    def __init__(self, name: str, packages: list[str], independent: bool = False, line: int = 0):
        self.name, self.packages, self.independent, self.line = name, packages, independent, line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layer) and vars(self) == vars(other)


class Allow:
    def __init__(self, importer: str, imported: str, reason: str, line: int = 0) -> None:
        self.importer, self.imported, self.reason, self.line = importer, imported, reason, line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Allow) and vars(self) == vars(other)


class Config:
    """A validated layers.yaml (plain attributes; see docs/packages/layers.md for each key)."""

    def __init__(self, path: Path, root: Path) -> None:
        self.path = path
        self.root = root  # the directory of layers.yaml: relative sources start there
        self.sources: list[str] = list(DEFAULT_SOURCES)
        self.ignore: list[str] = list(DEFAULT_IGNORE)
        self.layers: list[Layer] = []
        # package -> its own layers, lowest first, checked among its modules only
        self.internal_layers: dict[str, list[Layer]] = {}
        self.isolated: list[str] = []
        self.unlayered: list[str] = []
        self.allow: list[Allow] = []
        self.app_labels: dict[str, str] = {}
        self.count_type_checking_imports = True
        self.check_dependencies = True
        self.cache_dir = DEFAULT_CACHE_DIR
        # Where each named package was written, for errors found after the sources are read.
        self.package_lines: dict[str, int] = {}
        # Likewise for each package with internal layers, and each module they name.
        self.internal_lines: dict[str, int] = {}
        self.module_lines: dict[str, int] = {}
        self.layers_line = 1
        # Where sources were written; for the default sources, the line of the file's mapping
        # (a problem with them is the file's, as a missing key is). 0: set in code.
        self.sources_line = 0
        self.sources_written = False

    def unmatched_source(self, pattern: str) -> str:
        """The problem of a source that matches nothing, saying so when the user never wrote it."""
        if self.sources_written or self.sources != list(DEFAULT_SOURCES):
            return f"source {pattern!r} matches nothing"
        return (
            f"no 'sources' given, and the default {pattern!r} (the packages beside "
            f"{self.path.name}) matches nothing: add 'sources' naming where your packages "
            "are, e.g. sources: [src/*], or run `django-layers init`"
        )

    def to_dict(self) -> dict[str, Any]:
        data = {key: value for key, value in vars(self).items() if key not in ("path", "root")}
        data["layers"] = [vars(layer) for layer in self.layers]
        data["allow"] = [vars(entry) for entry in self.allow]
        data["internal_layers"] = {
            package: [vars(layer) for layer in layers]
            for package, layers in self.internal_layers.items()
        }
        return data

    @classmethod
    def from_dict(cls, path: Path, root: Path, data: dict[str, Any]) -> Config:
        config = cls(path, root)
        for key, value in data.items():
            setattr(config, key, value)
        config.layers = [Layer(**layer) for layer in data["layers"]]
        config.allow = [Allow(**entry) for entry in data["allow"]]
        config.internal_layers = {
            package: [Layer(**layer) for layer in layers]
            for package, layers in data["internal_layers"].items()
        }
        return config


def owner(module: str, names: Container[str]) -> str | None:
    """The longest of ``names`` that is ``module`` or a package above it, or ``None``."""
    while True:
        if module in names:
            return module
        if "." not in module:
            return None
        module = module.rpartition(".")[0]
