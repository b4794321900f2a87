"""Checking the fixture project: exactly these violations, found in exactly these places."""

import pytest

from django_layers.config import ConfigError
from django_layers.engine import run_check
from django_layers.loading import load_config

EXPECTED = [
    ("src/alpha/models.py", 6, "alpha.models", "beta", "model", "independent"),
    ("src/alpha/models.py", 10, "alpha.models", "beta", "model", "independent"),
    ("src/alpha/services.py", 2, "alpha.services", "beta.api", "from", "independent"),
    ("src/basics/helpers.py", 5, "basics.helpers", "beta.api", "import", "layers"),
    ("src/basics/helpers.py", 12, "basics.helpers", "alpha.models", "from", "layers"),
    ("src/basics/helpers.py", 18, "basics.helpers", "beta", "import", "layers"),
    ("src/basics/helpers.py", 23, "basics.helpers", "beta.api", "from", "layers"),
    ("src/basics/plain.py", 3, "basics.plain", "alpha", "import", "layers"),
    ("src/basics/plain.py", 4, "basics.plain", "alpha.models", "import", "layers"),
    ("src/basics/plain.py", 4, "basics.plain", "beta", "import", "layers"),
    ("src/basics/plain.py", 5, "basics.plain", "alpha.models", "from", "layers"),
    ("src/basics/plain.py", 6, "basics.plain", "alpha.models", "from", "layers"),
    ("src/basics/typing_only.py", 6, "basics.typing_only", "alpha.models", "type_only", "layers"),
    ("src/beta/api.py", 5, "beta.api", "alpha", "get_model", "independent"),
    (
        "src/beta/migrations/0001_initial.py",
        6,
        "beta.migrations.0001_initial",
        "alpha",
        "migration",
        "independent",
    ),
    ("src/shop/core/loader.py", 6, "shop.core.loader", "shop.web.views", "from", "layers"),
    ("src/shop/core/loader.py", 7, "shop.core.loader", "shop.web", "from", "layers"),
    ("src/shop/core/loader.py", 9, "shop.core.loader", "shop.web.views", "import_module", "layers"),
    (
        "src/shop/core/loader.py",
        10,
        "shop.core.loader",
        "shop.web.views",
        "import_module",
        "layers",
    ),
    ("src/tool/__init__.py", 4, "tool", "basics.plain", "from", "isolated"),
]


def summary(result):
    return [(v.path, v.line, v.importer, v.imported, v.kind, v.rule) for v in result.violations]


def check(root, **changes):
    config = load_config(root / "layers.yaml", snapshot=False)
    for key, value in changes.items():
        setattr(config, key, value)
    return run_check(config, use_cache=False)


def test_fixture_project_gives_exactly_the_expected_violations(layered):
    result = check(layered)
    assert summary(result) == EXPECTED
    assert result.errors == []
    assert result.exit_code == 1


def test_columns_point_at_the_statement_or_the_string(layered):
    by_place = {(v.path, v.line): v.col for v in check(layered).violations}
    assert by_place[("src/basics/helpers.py", 12)] == 9  # the indented from-import
    assert by_place[("src/alpha/models.py", 6)] == 31  # the "betas.Owner" literal
    assert by_place[("src/beta/migrations/0001_initial.py", 6)] == 9  # the ("alpha", ...) pair


def test_messages_name_both_sides_both_layers_and_a_fix(layered):
    violation = check(layered).violations[3]
    assert violation.message == (
        "basics.helpers -> beta.api (import): layer 'base' may not depend on the higher layer "
        "'apps'"
    )
    assert (violation.importer_layer, violation.imported_layer) == ("base", "apps")
    assert "move the code both need down into 'base'" in violation.hint


def test_type_checking_imports_can_be_left_out(layered):
    result = check(layered, count_type_checking_imports=False)
    assert [v for v in summary(result) if v[4] == "type_only"] == []
    assert len(result.violations) == len(EXPECTED) - 1


def test_allow_entries_suppress_only_what_they_name(layered):
    from django_layers.config import Allow

    allow = [Allow("basics.helpers", "beta", "moving down")]
    result = check(layered, allow=allow)
    assert result.allowed == 3
    assert [v for v in summary(result) if v[2] == "basics.helpers"] == [
        ("src/basics/helpers.py", 12, "basics.helpers", "alpha.models", "from", "layers")
    ]


def test_ignored_files_are_not_read(layered):
    (layered / "src" / "basics" / "tests" / "test_plain.py").write_text("import alpha\n")
    assert summary(check(layered)) == EXPECTED  # **/tests/** is ignored by default
    with_tests = summary(check(layered, ignore=[]))
    assert ("src/basics/tests/test_plain.py", 1, "basics.tests.test_plain", "alpha", "import",
            "layers") in with_tests  # fmt: skip
    assert summary(check(layered, ignore=["**/basics/helpers.py", "**/tests/**"])) == [
        v for v in EXPECTED if v[0] != "src/basics/helpers.py"
    ]


def test_unlayered_packages_are_free(layered):
    config = load_config(layered / "layers.yaml", snapshot=False)
    config.isolated = []
    config.unlayered = ["tool"]
    config.package_lines["tool"] = 13
    assert [v for v in summary(run_check(config, use_cache=False)) if v[2] == "tool"] == []


def test_a_file_that_cannot_be_parsed_is_an_error_not_a_skip(layered):
    (layered / "src" / "basics" / "broken.py").write_text("import os\n\ndef f(:\n    pass\n")
    result = check(layered)
    assert [(e.path, e.line) for e in result.errors] == [("src/basics/broken.py", 3)]
    assert "cannot be parsed" in result.errors[0].message
    assert result.exit_code == 2
    assert summary(result) == EXPECTED  # every other file is still checked


def test_package_found_in_no_layer_is_a_config_error(layered):
    (layered / "src" / "stray").mkdir()
    (layered / "src" / "stray" / "__init__.py").write_text("")
    with pytest.raises(ConfigError) as caught:
        check(layered)
    [(line, message)] = caught.value.problems
    assert line == 5  # where the list of layers starts
    assert message.startswith("package 'stray' (")
    assert message.endswith("is in no layer: add it to a layer, to 'isolated', or to 'unlayered'")


def test_package_named_in_no_source_is_a_config_error(layered):
    config_file = layered / "layers.yaml"
    config_file.write_text(config_file.read_text().replace("[alpha, beta]", "[alpha, beta, gamma]"))
    with pytest.raises(ConfigError) as caught:
        check(layered)
    assert caught.value.problems == [(9, "package 'gamma' is named here but found in no source")]


def test_source_glob_matching_nothing_is_a_config_error(layered):
    with pytest.raises(ConfigError) as caught:
        check(layered, sources=["src/*", "lib/*"])
    assert caught.value.problems == [(3, "source 'lib/*' matches nothing")]  # the list's line


def test_app_labels_from_the_config_override_discovery(layered):
    result = check(layered, app_labels={"betas": "shop.web"})
    # "betas.Owner" now names a model of shop.web, a higher layer than alpha's.
    assert [v for v in summary(result) if v[0] == "src/alpha/models.py"] == [
        ("src/alpha/models.py", 6, "alpha.models", "shop.web", "model", "layers"),
        ("src/alpha/models.py", 10, "alpha.models", "shop.web", "model", "layers"),
    ]
