"""The values a check produces: dependencies, violations, file errors and the run's summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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


@dataclass(frozen=True)
class Dependency:
    """One place where ``importer`` (a module) depends on ``imported`` (a module)."""

    path: str
    line: int
    col: int  # 1-based
    importer: str
    imported: str
    kind: str  # a key of KIND_NAMES


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    col: int
    importer: str
    imported: str
    kind: str
    rule: str  # layers | independent | isolated | undeclared | unused
    importer_layer: str
    imported_layer: str
    message: str
    hint: str

    def key(self) -> list:
        """What identifies the violation in a baseline: not its line, which moves with edits."""
        return [self.path, self.importer, self.imported, self.kind, self.rule]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    violations: list[Violation] = field(default_factory=list)
    errors: list = field(default_factory=list)  # reader.FileError
    dependencies: list[Dependency] = field(default_factory=list)
    allowed: int = 0
    baselined: int = 0
    stale_baseline: int = 0
    files: int = 0
    from_cache: int = 0
    fast: int = 0
    tree: int = 0
    member_of: dict[str, str] = field(default_factory=dict)  # module -> member package
    layer_of: dict[str, str] = field(default_factory=dict)  # member -> layer name

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.violations else 0
