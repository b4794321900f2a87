"""primitives_testkit.contracts: each contract passes on a package that keeps it and fails on a
planted fault (a contract that cannot fail would prove nothing)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from primitives_testkit.contracts import badly_named_errors, check_ids, misplaced_check_ids

pytest_plugins = ["pytester"]

GOOD_PACKAGE = {
    "__init__.py": """
        from importlib import import_module

        __all__ = ["FakeError", "thing"]
        _LAZY = {
            "FakeError": "fakepkg.exceptions",
            "thing": "fakepkg.things",
            "Old": "fakepkg.exceptions",
        }


        def __getattr__(name):
            if name not in _LAZY:
                raise AttributeError(f"module 'fakepkg' has no attribute {name!r}")
            return getattr(import_module(_LAZY[name]), name)
    """,
    "exceptions.py": """
        class FakeError(Exception):
            pass


        class NoActiveSession(FakeError):
            pass


        class BadValueError(FakeError, ValueError):
            pass


        Old = BadValueError  # an earlier name, kept outside __all__
    """,
    "things.py": "thing = 1\n",
    "checks.py": """
        from django.core import checks

        UNIQUE = "fake.E002"


        def check(app_configs=None, **kwargs):
            return [checks.Error("x", id="fake.E001"), checks.Warning("y", id=UNIQUE)]
    """,
    "migrations/__init__.py": "",
    "migrations/0001_initial.py": "OLD = 'other.E001'  # migrations are not read\n",
}

CONTRACT_TESTS = """
from fakepkg.exceptions import FakeError
from primitives_testkit.contracts import PackageContract


class TestFake(PackageContract):
    package = "fakepkg"
    base_error = FakeError
    check_prefix = "fake"
"""


def run_contracts(pytester: pytest.Pytester, **changed: str) -> pytest.RunResult:
    """The package contracts over ``fakepkg``, with ``changed`` files replacing the good ones."""
    files = {**GOOD_PACKAGE, **changed}
    for name, text in files.items():
        path = Path(pytester.path, "fakepkg", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    pytester.makeconftest(
        "from django.conf import settings\nsettings.configure()\n"
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
    )
    pytester.makepyfile(test_fake=CONTRACT_TESTS)
    return pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider")


def test_a_package_that_keeps_every_contract_passes(pytester):
    run_contracts(pytester).assert_outcomes(passed=6)


def test_an_exported_name_that_does_not_resolve_fails(pytester):
    broken = GOOD_PACKAGE["__init__.py"].replace(
        '"thing": "fakepkg.things"', '"thing": "fakepkg.gone"'
    )
    result = run_contracts(pytester, **{"__init__.py": broken})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*test_every_exported_name_resolves*", "*ModuleNotFoundError*"])


def test_an_unknown_name_that_does_not_raise_attribute_error_fails(pytester):
    lenient = GOOD_PACKAGE["__init__.py"].replace(
        "raise AttributeError(f\"module 'fakepkg' has no attribute {name!r}\")", "return None"
    )
    result = run_contracts(pytester, **{"__init__.py": lenient})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*FAILED*test_an_unknown_name_raises_attribute_error_naming_it*"])


def test_a_package_that_imports_its_modules_eagerly_fails(pytester):
    eager = "import fakepkg.things\n" + textwrap.dedent(GOOD_PACKAGE["__init__.py"])
    result = run_contracts(pytester, **{"__init__.py": eager})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*FAILED*test_importing_the_package_loads_none_of_its_modules*"])


def test_an_error_outside_the_base_error_fails(pytester):
    stray = (
        textwrap.dedent(GOOD_PACKAGE["exceptions.py"])
        + "\n\nclass StrayError(Exception):\n    pass\n"
    )
    result = run_contracts(pytester, **{"exceptions.py": stray})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        ["*test_every_error_derives_from_the_base_error*", "*fakepkg.exceptions.StrayError*"]
    )


def test_an_error_named_without_error_fails_wherever_it_is_defined(pytester):
    in_a_module = (
        "from fakepkg.exceptions import FakeError\n\n\nclass Refused(FakeError):\n    pass\n"
    )
    result = run_contracts(pytester, **{"things.py": "thing = 1\n" + in_a_module})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*fakepkg.things.Refused: expected a name ending in 'Error'*"])


def test_a_planted_check_id_without_the_prefix_fails(pytester):
    planted = GOOD_PACKAGE["checks.py"].replace('"fake.E002"', '"other.E002"')
    result = run_contracts(pytester, **{"checks.py": planted})
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        ["*FAILED*test_every_check_id_carries_the_package_prefix*"], consecutive=False
    )
    assert "checks.py:4: other.E002" in result.stdout.str()


def test_a_package_without_any_check_id_fails_the_check_id_contract(pytester):
    result = run_contracts(
        pytester, **{"checks.py": "def check(app_configs=None, **kw):\n    return []\n"}
    )
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*no check id found under*"])


def write(tmp_path: Path, text: str) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "checks.py").write_text(textwrap.dedent(text))
    return package


def test_ids_are_found_as_keywords_and_as_constants(tmp_path):
    package = write(
        tmp_path,
        """
        from django.core.checks import Error, Warning
        CONSTANT = "pkg.W002"
        def f(prefix):
            Error("a", id="pkg.E001")
            Warning("b", hint="h", id=f"{prefix}.W001")
            Warning("c", id=CONSTANT)  # found through the constant's own literal
            return "pkg.E001 is described in the docs"  # not an id on its own
        """,
    )
    assert [(found.text, found.line) for found in check_ids(package)] == [
        ("pkg.E001", 5),
        (None, 6),
        ("pkg.W002", 3),
    ]


def test_computed_ids_cannot_be_verified_and_foreign_ids_are_allowed(tmp_path):
    package = write(
        tmp_path,
        """
        from django.core import checks
        SILENCED = "models.W036"
        def f(prefix):
            return [checks.Info("a", id=prefix + ".I001"), checks.Critical("b", id="pkg.C001")]
        """,
    )
    problems = misplaced_check_ids(package, "pkg", foreign=frozenset({"models.W036"}))
    assert problems == [f"{package / 'checks.py'}:5: <computed>"]
    assert misplaced_check_ids(package, "pk") != []  # a prefix is matched whole
    # A module that relays its callers' ids: its computed ids are theirs, its literals still count.
    relayed = frozenset({"checks.py"})
    assert misplaced_check_ids(package, "pkg", frozenset({"models.W036"}), relayed) == []
    assert misplaced_check_ids(package, "other", relayed=relayed) == [
        f"{package / 'checks.py'}:5: pkg.C001",
        f"{package / 'checks.py'}:3: models.W036",
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("pkg.exceptions.Refused", "expected a name ending in 'Error'"),
        ("pkg.exceptions.ModuleNotFoundError", "the name of a Python built-in"),
    ],
)
def test_naming_rule(name, problem):
    error = type(name.rsplit(".", 1)[-1], (Exception,), {})
    assert badly_named_errors({name: error}) == [f"{name}: {problem}"]


@pytest.mark.parametrize("name", ["pkg.NoActiveSession", "pkg.ModuleDisabled", "pkg.SealError"])
def test_naming_rule_allows_the_documented_names_and_names_in_error(name):
    assert badly_named_errors({name: type("Any", (Exception,), {})}) == []


def test_a_built_in_re_exported_under_its_own_name_is_not_a_clash():
    assert badly_named_errors({"pkg.LookupError": LookupError}) == []
