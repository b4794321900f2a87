"""The values a check produces: dependencies, violations, file errors and the run's summary."""

from __future__ import annotations

from typing import Any, NamedTuple

# The kind of a dependency as JSON names it: ``from a import b`` is an import, as the text says.
JSON_KINDS = {
    "import": "import",
    "from": "import",
    "type_only": "type_only",
    "import_module": "import_module",
    "model": "model",
    "get_model": "get_model",
    "migration": "migration",
    "dependency": "dependency",
}

KIND_NAMES = {
    "import": "import",
    "from": "import",
    "type_only": "type-checking import",
    "import_module": "importlib.import_module",
    "model": "model reference",
    "get_model": "apps.get_model",
    "migration": "migration dependency",
    "dependency": "pyproject dependency",
}


class FileError(Exception):
    """A source file cannot be read or does not compile."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        self.path, self.line, self.col, self.message = path, line, col, message
        super().__init__(f"{path}:{line}:{col}: {message}")

    def __reduce__(self) -> tuple[type[FileError], tuple[str, int, int, str]]:
        return FileError, (self.path, self.line, self.col, self.message)  # across processes


class Dependency(NamedTuple):
    """One place where ``importer`` (a module) depends on ``imported`` (a module); ``col`` is
    1-based and ``kind`` a key of KIND_NAMES. A named tuple: thousands are made per run."""

    path: str
    line: int
    col: int
    importer: str
    imported: str
    kind: str


_VIOLATION_FIELDS = [
    "path", "line", "col", "importer", "imported", "kind", "rule", "importer_layer",
    "imported_layer", "message", "hint",
]  # fmt: skip


class Violation:
    """A dependency that breaks a rule (``rule``: layers, independent, isolated, undeclared,
    unused), with the layers involved, a message naming both sides, and how to fix it."""

    __slots__ = _VIOLATION_FIELDS

    def __init__(
        self,
        path: str,
        line: int,
        col: int,
        importer: str,
        imported: str,
        kind: str,
        rule: str,
        importer_layer: str,
        imported_layer: str,
        message: str,
        hint: str,
    ) -> None:
        self.path, self.line, self.col = path, line, col
        self.importer, self.imported, self.kind, self.rule = importer, imported, kind, rule
        self.importer_layer, self.imported_layer = importer_layer, imported_layer
        self.message, self.hint = message, hint

    def key(self) -> list[str]:
        """What identifies the violation in a baseline: not its line, which moves with edits."""
        return [self.path, self.importer, self.imported, self.kind, self.rule]

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _VIOLATION_FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Violation) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        return f"Violation({self.path}:{self.line}:{self.col} {self.importer} -> {self.imported})"


class Result:
    """What a check found, and how the files were read."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.errors: list[FileError] = []
        self.dependencies: list[Dependency] = []
        self.allowed = 0
        self.baselined = 0
        self.stale_baseline = 0
        self.files = 0
        self.from_cache = 0
        self.fast = 0
        self.tree = 0
        self.member_of: dict[str, str] = {}  # module -> member package
        self.layer_of: dict[str, str] = {}  # member -> layer name

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.violations else 0
