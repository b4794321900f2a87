"""primitives_testkit.imports: a package's import cycles, function-local imports included."""

from __future__ import annotations

from pathlib import Path

from primitives_testkit.imports import classes_named, import_cycles, module_imports


def make_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_one_way_imports_have_no_cycle(tmp_path):
    package = make_package(
        tmp_path,
        {
            "low.py": "import os\n",
            "mid.py": "from pkg.low import x\n",
            "top.py": "import pkg.mid\n",
        },
    )
    assert module_imports(package) == {
        "pkg": set(),
        "pkg.low": set(),
        "pkg.mid": {"pkg.low"},
        "pkg.top": {"pkg.mid"},
    }
    assert import_cycles(package) == []


def test_a_back_import_inside_a_function_is_a_cycle(tmp_path):
    package = make_package(
        tmp_path,
        {
            "model.py": "from pkg.diff import d\n",
            "diff.py": "def d():\n    from pkg.model import M\n    return M\n",
            "other.py": "",
        },
    )
    assert import_cycles(package) == [["pkg.diff", "pkg.model"]]


def test_a_back_import_for_type_checkers_only_is_a_cycle(tmp_path):
    package = make_package(
        tmp_path,
        {
            "a.py": "from pkg.b import B\n",
            "b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n"
            ),
        },
    )
    assert import_cycles(package) == [["pkg.a", "pkg.b"]]


def test_relative_imports_and_submodules_resolve(tmp_path):
    package = make_package(
        tmp_path,
        {
            "admin/__init__.py": "from .entries import Admin\n",
            "admin/entries.py": "from pkg.admin import display\nfrom .. import low\n",
            "admin/display.py": "",
            "low.py": "",
        },
    )
    graph = module_imports(package)
    assert graph["pkg.admin"] == {"pkg.admin.entries"}
    # ``from pkg.admin import display`` names the submodule, not a way back into admin/__init__
    assert graph["pkg.admin.entries"] == {"pkg.admin.display", "pkg.low"}
    assert import_cycles(package) == []


def test_a_longer_circle_is_reported_once_with_every_member(tmp_path):
    package = make_package(
        tmp_path,
        {"a.py": "import pkg.b\n", "b.py": "import pkg.c\n", "c.py": "import pkg.a\n"},
    )
    assert import_cycles(package) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_classes_named_maps_each_matching_class_to_its_module(tmp_path):
    package = make_package(
        tmp_path,
        {
            "query.py": "class ItemQuerySet:\n    pass\n\n\nclass Helper:\n    pass\n",
            "models/__init__.py": "class StrayQuerySet:\n    pass\n",
            "models/item.py": "def f():\n    class LocalQuerySet:\n        pass\n",
        },
    )
    assert classes_named(package, "QuerySet") == {
        "ItemQuerySet": "pkg.query",
        "StrayQuerySet": "pkg.models",
        "LocalQuerySet": "pkg.models.item",
    }
