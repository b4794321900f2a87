"""Finding packages and files: globs, ignores, migrations, folders that are not packages."""

import pytest

from django_layers.config import Config
from django_layers.sources import discover, glob_to_regex, ignore_matcher


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/tests/**", "pkg/tests/test_a.py", True),
        ("**/tests/**", "pkg/sub/tests/deep/x.py", True),
        ("**/tests/**", "pkg/tests.py", False),
        ("**/test_*.py", "pkg/test_models.py", True),
        ("**/test_*.py", "pkg/contest_x.py", False),
        ("pkg/*.py", "pkg/a.py", True),
        ("pkg/*.py", "pkg/sub/a.py", False),
        ("pkg/?.py", "pkg/a.py", True),
        ("**/migrations/**", "pkg/migrations/0001_initial.py", True),
    ],
)
def test_ignore_globs(pattern, path, matches):
    assert ignore_matcher([pattern])(path) is matches


def test_no_ignore_patterns_ignore_nothing():
    assert ignore_matcher([])("pkg/tests/a.py") is False


def test_glob_translation_escapes_the_rest():
    assert glob_to_regex("a.b/**/c*") == r"a\.b/(?:[^/]*/)*c[^/]*"


def test_discovery_of_packages_modules_and_files(tmp_path):
    files = [
        "src/pkg/__init__.py",
        "src/pkg/mod.py",
        "src/pkg/migrations/__init__.py",
        "src/pkg/migrations/0001_initial.py",
        "src/pkg/sub/__init__.py",
        "src/pkg/sub/leaf.py",
        "src/pkg/locale/en/formats.py",  # no __init__.py: not a subpackage
        "src/pkg/not-a-module.py",
        "src/pkg/__pycache__/mod.cpython-311.py",
        "src/single.py",
        "src/pkg.egg-info/PKG-INFO",
    ]
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    config = Config(tmp_path / "layers.yaml", tmp_path)
    config.sources = ["src/*"]
    tree = discover(config)
    assert sorted(tree.packages) == ["pkg", "single"]
    assert sorted(module for _, module, _ in tree.files) == [
        "pkg",
        "pkg.migrations",
        "pkg.migrations.0001_initial",
        "pkg.mod",
        "pkg.sub",
        "pkg.sub.leaf",
        "single",
    ]
    assert sorted(module for _, module, is_init in tree.files if is_init) == [
        "pkg",
        "pkg.migrations",
        "pkg.sub",
    ]
    assert "pkg.locale" not in tree.modules
    assert tree.problems == []


def test_the_same_package_found_twice_is_a_problem(tmp_path):
    for root in ("a", "b"):
        (tmp_path / root / "pkg").mkdir(parents=True)
        (tmp_path / root / "pkg" / "__init__.py").write_text("")
    config = Config(tmp_path / "layers.yaml", tmp_path)
    config.sources = ["a/*", "b/*"]
    [(line, message)] = discover(config).problems
    assert line == 0  # the sources were set in code here, not read from a line
    assert message.startswith("package 'pkg' is found twice: ")
