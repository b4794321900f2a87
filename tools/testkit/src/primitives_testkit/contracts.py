"""What every package of the repository promises about its public face, as test classes that a
package's ``tests/test_contracts.py`` subclasses with a few class attributes::

    from django_catalog.exceptions import CatalogError
    from primitives_testkit.contracts import PackageContract

    class TestCatalogContracts(PackageContract):
        package = "django_catalog"
        base_error = CatalogError
        check_prefix = "catalog"

``PackageContract`` is the three contracts below together; a package that keeps only some of
them (django-layers has no Django checks) subclasses those it keeps. The functions the tests use
(``exported_names``, ``error_classes``, ``check_ids``...) are plain functions, so the kit's own
tests can show each contract failing on a planted fault.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import pkgutil
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

# Exception names the reference documents publish without the "Error" suffix; users type them,
# so they keep their names (docs/development.md, "Names").
DOCUMENTED_ERROR_NAMES = frozenset({"NoActiveSession", "ModuleDisabled"})

# A Django system check id: "<prefix>.<level letter><three digits>", e.g. "catalog.E001".
CHECK_ID_SHAPE = re.compile(r"^[a-z][a-z0-9_]*\.[CEWID]\d{3}$")
# The constructors of django.core.checks messages, called as checks.Error(...) or Error(...).
CHECK_MESSAGE_CLASSES = frozenset({"CheckMessage", "Critical", "Error", "Warning", "Info", "Debug"})


# --- exports ------------------------------------------------------------------------------------


def exported_names(module: ModuleType) -> list[str]:
    """``__all__`` plus every name of the module's lazy re-export map (``_LAZY`` or
    ``_EXPORTS``), which also holds names kept for compatibility outside ``__all__``."""
    lazy = getattr(module, "_LAZY", None) or getattr(module, "_EXPORTS", None) or {}
    return sorted(set(module.__all__) | set(lazy))


def unresolved_names(module: ModuleType) -> dict[str, str]:
    """Each exported name that does not resolve, with the error it gave."""
    broken = {}
    for name in exported_names(module):
        try:
            getattr(module, name)
        except Exception as error:  # any failure is the finding, whatever its kind
            broken[name] = f"{type(error).__name__}: {error}"
    return broken


def submodules_loaded_by_import(package: str) -> list[str]:
    """The package's own submodules that ``import <package>`` loads, in a fresh interpreter."""
    code = (
        f"import sys, {package}; "
        f"print(sorted(m for m in sys.modules if m.startswith({package + '.'!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded: list[str] = ast.literal_eval(done.stdout.strip())
    return loaded


class ExportsContract:
    """Every exported name resolves; an unknown one raises ``AttributeError`` naming it; importing
    the package loads none of its submodules (so it never touches the app registry)."""

    package: ClassVar[str]

    def test_every_exported_name_resolves(self) -> None:
        module = importlib.import_module(self.package)
        assert module.__all__, f"{self.package}.__all__ is empty"
        assert len(set(module.__all__)) == len(module.__all__), "__all__ repeats a name"
        assert unresolved_names(module) == {}

    def test_an_unknown_name_raises_attribute_error_naming_it(self) -> None:
        module = importlib.import_module(self.package)
        missing = "no_such_name_in_this_package"
        with pytest.raises(AttributeError, match=re.escape(repr(missing))):
            getattr(module, missing)

    def test_importing_the_package_loads_none_of_its_modules(self) -> None:
        assert submodules_loaded_by_import(self.package) == []


# --- errors -------------------------------------------------------------------------------------


def package_modules(package: str) -> list[ModuleType]:
    """The package and every module in it, imported; migrations and ``__main__`` (which would run
    the program) are left out."""
    root = importlib.import_module(package)
    modules = [root]
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if ".migrations" in info.name or info.name.endswith(".__main__"):
            continue
        modules.append(importlib.import_module(info.name))
    return modules


def error_classes(package: str) -> dict[str, type[BaseException]]:
    """Every exception class the package defines, by qualified name (``module.Class``)."""
    found: dict[str, type[BaseException]] = {}
    for module in package_modules(package):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def badly_named_errors(
    names: dict[str, type[BaseException]], documented: frozenset[str] = DOCUMENTED_ERROR_NAMES
) -> list[str]:
    """The names (of ``{name: class}``) that break the naming rule: an exception's name ends in
    ``Error`` unless the reference documents publish it otherwise, and never repeats the name of
    a Python built-in (``ModuleNotFoundError``)."""
    wrong = []
    for name, error in sorted(names.items()):
        short = name.rsplit(".", 1)[-1]
        if short not in documented and not short.endswith("Error"):
            wrong.append(f"{name}: expected a name ending in 'Error'")
        elif getattr(builtins, short, error) is not error:
            wrong.append(f"{name}: the name of a Python built-in")
    return wrong


def exported_errors(package: str) -> dict[str, type[BaseException]]:
    """The exception classes the package exports, by the name they are exported under."""
    module = importlib.import_module(package)
    broken = unresolved_names(module)  # reported by the exports contract, not here again
    exported = {name: getattr(module, name) for name in module.__all__ if name not in broken}
    return {
        f"{package}.{name}": value
        for name, value in exported.items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }


class ErrorsContract:
    """Every exception class the package defines derives from its base error, and every
    exception name (as defined and as exported) ends in ``Error``, but for the names the
    reference documents publish (``DOCUMENTED_ERROR_NAMES``)."""

    package: ClassVar[str]
    base_error: ClassVar[type[BaseException]]

    def test_every_error_derives_from_the_base_error(self) -> None:
        found = error_classes(self.package)
        assert self.base_error in found.values(), f"{self.base_error} is not defined here"
        outside = sorted(
            name for name, error in found.items() if not issubclass(error, self.base_error)
        )
        assert outside == [], f"expected every error to derive from {self.base_error.__name__}"

    def test_every_error_name_ends_in_error(self) -> None:
        names = {**error_classes(self.package), **exported_errors(self.package)}
        assert badly_named_errors(names) == []


# --- system checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckId:
    """A check id written in a package's source: the text (``None`` when it is not a literal,
    so that it cannot be read without running the code) and where it stands."""

    text: str | None
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text if self.text is not None else '<computed>'}"


def check_ids(package_dir: Path) -> list[CheckId]:
    """The check ids in the source under ``package_dir`` (migrations left out): each ``id=`` of a
    check message (``checks.Error(..., id=...)``), literal or not, and every other string literal
    shaped like a check id (one kept in a constant and passed on)."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _string_constants(tree)
        as_keyword: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node.func) in CHECK_MESSAGE_CLASSES:
                for keyword in node.keywords:
                    if keyword.arg != "id":
                        continue
                    if isinstance(keyword.value, ast.Name) and keyword.value.id in constants:
                        continue  # a module constant: its literal is read below
                    as_keyword.add(id(keyword.value))
                    found.append(CheckId(_literal(keyword.value), path, keyword.value.lineno))
        for node in ast.walk(tree):
            if (
                id(node) not in as_keyword
                and isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CHECK_ID_SHAPE.match(node.value)
            ):
                found.append(CheckId(node.value, path, node.lineno))
    return found


def misplaced_check_ids(
    package_dir: Path,
    prefix: str,
    foreign: frozenset[str] = frozenset(),
    relayed: frozenset[str] = frozenset(),
) -> list[str]:
    """The check ids under ``package_dir`` that do not read ``<prefix>.<E|W|C|I|D>NNN``, as
    ``path:line: id``; ``foreign`` names ids of other apps the source only refers to; in the
    modules ``relayed`` names (paths relative to ``package_dir``), a computed id is one the
    package's callers hand in (their own contracts read those literals), so it is not reported."""
    pattern = re.compile(rf"^{re.escape(prefix)}\.[CEWID]\d{{3}}$")
    return [
        str(found)
        for found in check_ids(package_dir)
        if not (found.text is None and found.path.relative_to(package_dir).as_posix() in relayed)
        and (found.text is None or not (pattern.match(found.text) or found.text in foreign))
    ]


def _string_constants(tree: ast.Module) -> set[str]:
    """The names the module assigns a string literal to at its top level."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and _literal(node.value) is not None
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class CheckIdsContract:
    """Every system check id the package can emit carries its prefix (``catalog.E001``)."""

    package: ClassVar[str]
    check_prefix: ClassVar[str]
    # Ids of other apps' checks that the source names without emitting them, e.g. Django's
    # "models.W036" that django-basemodels silences for its own constraint.
    foreign_check_ids: ClassVar[frozenset[str]] = frozenset()
    # Modules (paths relative to the package) that emit checks with ids their callers hand in,
    # e.g. django-basemodels' swappable.py for the packages' own setting checks.
    relayed_check_ids: ClassVar[frozenset[str]] = frozenset()

    def test_every_check_id_carries_the_package_prefix(self) -> None:
        package_dir = Path(importlib.import_module(self.package).__file__ or "").parent
        assert check_ids(package_dir), f"no check id found under {package_dir}"
        assert (
            misplaced_check_ids(
                package_dir, self.check_prefix, self.foreign_check_ids, self.relayed_check_ids
            )
            == []
        )


class PackageContract(ExportsContract, ErrorsContract, CheckIdsContract):
    """All three contracts: what a Django package of this repository subclasses."""
