"""pyproject.toml declarations: each package declares exactly the siblings it uses."""

from django_layers.engine import run_check
from django_layers.loading import load_config


def check(root, **changes):
    config = load_config(root / "layers.yaml", snapshot=False)
    for key, value in changes.items():
        setattr(config, key, value)
    return run_check(config, use_cache=False)


def test_undeclared_and_unused_siblings_are_reported(copy_fixture):
    root = copy_fixture("declared")
    found = [(v.path, v.line, v.importer, v.imported, v.rule) for v in check(root).violations]
    assert found == [
        ("packages/two/src/p_two/__init__.py", 1, "p_two", "p_three", "undeclared"),
        ("packages/one/pyproject.toml", 6, "p_one", "p_three", "unused"),
    ]
    undeclared, unused = check(root).violations
    assert undeclared.message == (
        "p_two uses p_three but packages/two/pyproject.toml does not declare 'p_three'"
    )
    assert (
        undeclared.hint == "add 'p_three' to [project].dependencies in packages/two/pyproject.toml"
    )
    assert (
        unused.message
        == "packages/one/pyproject.toml declares 'P_Three' but p_one never uses p_three"
    )


def test_declarations_that_match_are_clean(copy_fixture):
    root = copy_fixture("declared")
    (root / "packages" / "two" / "pyproject.toml").write_text(
        '[project]\nname = "p-two"\nversion = "1"\ndependencies = ["p.three"]\n'
    )
    (root / "packages" / "one" / "src" / "p_one" / "__init__.py").write_text(
        "import p_two\nimport p_three\n"
    )
    assert check(root).violations == []


def test_the_check_can_be_switched_off(copy_fixture):
    root = copy_fixture("declared")
    assert check(root, check_dependencies=False).violations == []


def test_an_optional_dependency_declares_a_sibling_too(copy_fixture):
    root = copy_fixture("declared")
    (root / "packages" / "two" / "pyproject.toml").write_text(
        '[project]\nname = "p-two"\nversion = "1"\n'
        '[project.optional-dependencies]\nextra = ["p-three>=1"]\n'
    )
    assert [v.rule for v in check(root).violations] == ["unused"]
