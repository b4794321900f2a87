"""layers.yaml: the schema, defaults, and every problem reported at once with its line."""

import os
import textwrap

import pytest

from django_layers.config import DEFAULT_IGNORE, DEFAULT_SOURCES, ConfigError
from django_layers.engine import run_check
from django_layers.loading import load_config


def write(tmp_path, text: str):
    path = tmp_path / "layers.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems(tmp_path, text: str) -> list[tuple[int, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), snapshot=False)
    return caught.value.problems


def test_full_schema_is_read(tmp_path):
    config = load_config(
        write(
            tmp_path,
            """
            sources: [src/*]
            ignore: ["**/legacy/**"]
            layers:
              - name: low
                description: the bottom
                packages: [a]
              - name: high
                independent: true
                packages: [b, c]
            isolated: [tool]
            unlayered: [scripts]
            allow:
              - importer: a.x
                imported: b
                reason: being moved down in issue 12
            app_labels:
              blabel: b
            count_type_checking_imports: false
            check_dependencies: false
            cache_dir: .cache/layers
            """,
        ),
        snapshot=False,
    )
    assert config.sources == ["src/*"]
    assert config.ignore == ["**/legacy/**"]
    assert [(layer.name, layer.packages, layer.independent) for layer in config.layers] == [
        ("low", ["a"], False),
        ("high", ["b", "c"], True),
    ]
    assert config.isolated == ["tool"]
    assert config.unlayered == ["scripts"]
    assert [(a.importer, a.imported, a.reason) for a in config.allow] == [
        ("a.x", "b", "being moved down in issue 12")
    ]
    assert config.app_labels == {"blabel": "b"}
    assert config.count_type_checking_imports is False
    assert config.check_dependencies is False
    assert config.cache_dir == ".cache/layers"
    assert config.package_lines == {"a": 6, "b": 9, "c": 9, "tool": 10, "scripts": 11}


def test_defaults(tmp_path):
    config = load_config(write(tmp_path, "layers:\n  - name: a\n    packages: [a]\n"))
    assert config.sources == list(DEFAULT_SOURCES) == ["*/__init__.py"]
    assert config.sources_written is False
    assert config.ignore == list(DEFAULT_IGNORE)
    assert "**/tests/**" in config.ignore
    assert config.count_type_checking_imports is True
    assert config.check_dependencies is True
    assert config.isolated == config.unlayered == config.allow == []


def test_bad_yaml_names_its_line(tmp_path):
    [(line, message)] = problems(tmp_path, "layers:\n  - name: a\n    packages: [a\n")
    assert line == 4
    assert message.startswith("invalid YAML: ")
    assert "expected ',' or ']'" in message  # the parser's words differ with and without libyaml


def test_every_problem_is_listed_at_once_with_its_line(tmp_path):
    found = problems(
        tmp_path,
        """
        sources: src/*
        layerz: 1
        layers:
          - name: a
            packages: [one, two]
            independent: maybe
            colour: red
          - name: a
            packages: one
          - packages: [two]
          - name: empty
            packages: []
          - name: bare
        isolated: [tool]
        isolated: [other]
        allow:
          - importer: x
        check_dependencies: "yes"
        """,
    )
    assert found == [
        (1, "sources must be a list, got str 'src/*'"),
        (
            2,
            "unknown key 'layerz' in the configuration (did you mean 'layers'?); expected: "
            "allow, app_labels, cache_dir, check_dependencies, count_type_checking_imports, "
            "ignore, internal_layers, isolated, layers, sources, unlayered",
        ),
        (6, "independent must be true or false, got str 'maybe'"),
        (7, "unknown key 'colour' in a layer; expected: description, independent, name, packages"),
        (8, "duplicate layer name 'a'"),
        (9, "packages must be a list, got str 'one'"),
        (10, "a layer is missing 'name'"),
        (10, "package 'two' is in layer 'a' and in layer (unnamed)"),
        (12, "layer 'empty' has no packages"),
        (13, "layer 'bare' is missing 'packages'"),
        (15, "duplicate key 'isolated' in the configuration"),
        (17, "allow entry is missing 'imported'"),
        (17, "allow entry is missing 'reason'"),
        (18, "check_dependencies must be true or false, got str 'yes'"),
    ]


def test_missing_layers_and_wrong_top_level(tmp_path):
    assert problems(tmp_path, "sources: [src/*]\n") == [(1, "missing required key 'layers'")]
    assert problems(tmp_path, "- a\n- b\n") == [
        (1, "the configuration must be a mapping, got a list")
    ]
    assert problems(tmp_path, "") == [(1, "the file is empty; expected a mapping with 'layers'")]


def test_package_in_a_layer_and_isolated(tmp_path):
    found = problems(
        tmp_path,
        """
        layers:
          - name: a
            packages: [one]
        isolated: [one]
        """,
    )
    assert found == [(4, "package 'one' is in layer 'a' and in 'isolated'")]


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the configuration") as caught:
        load_config(tmp_path / "absent.yaml")
    # A problem that has no line is shown without one, never at a line 0.
    assert (
        str(caught.value)
        .splitlines()[1]
        .startswith(f"{tmp_path / 'absent.yaml'}: cannot read the configuration: ")
    )


def test_config_error_message_lists_path_and_lines(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "layers: 3\nextra: 1\n"), snapshot=False)
    message = str(caught.value)
    assert "2 problem(s)" in message
    assert "layers.yaml:1: layers must be a list, got int '3'" in message
    assert "layers.yaml:2: unknown key 'extra'" in message


def test_snapshot_is_used_while_the_file_is_unchanged_and_dropped_when_it_changes(tmp_path, age):
    path = write(tmp_path, "layers:\n  - name: a\n    packages: [a]\n")
    age(tmp_path)
    first = load_config(path)
    assert (tmp_path / ".django-layers-cache" / "config.json").is_file()
    again = load_config(path)
    assert again.layers == first.layers
    path.write_text("layers:\n  - name: b\n    packages: [bb]\n", encoding="utf-8")
    age(tmp_path, seconds=1800)
    assert [layer.name for layer in load_config(path).layers] == ["b"]


def test_snapshot_follows_the_content_not_the_size_and_time(tmp_path):
    path = write(tmp_path, "layers:\n  - name: a\n    packages: [a]\n")
    load_config(path)  # written just now: keyed on its content, the snapshot is safe to keep
    assert (tmp_path / ".django-layers-cache" / "config.json").is_file()
    stat = os.stat(path)
    path.write_text("layers:\n  - name: b\n    packages: [b]\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same size and time
    assert [layer.name for layer in load_config(path).layers] == ["b"]


def test_a_configuration_given_as_bytes_is_that_content(tmp_path):
    path = write(tmp_path, "layers:\n  - name: a\n    packages: [a]\n")
    given = b"layers:\n  - name: c\n    packages: [c]\n"
    for snapshot in (True, False):
        assert [layer.name for layer in load_config(path, snapshot, data=given).layers] == ["c"]
    assert [layer.name for layer in load_config(path).layers] == ["a"]
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        load_config(path, data=b"\xff")


def test_schema_and_source_problems_are_listed_together(layered):
    found = problems(
        layered,
        "sources: [src/*]\nlayers:\n  - name: all\n    packages: [alpha, ghost]\nextra: 1\n",
    )
    unplaced = "is in no layer: add it to a layer, to 'isolated', or to 'unlayered'"
    assert found == [
        (3, f"package 'basics' (src/basics) {unplaced}"),
        (3, f"package 'beta' (src/beta) {unplaced}"),
        (3, f"package 'shop' (src/shop) {unplaced}"),
        (3, f"package 'tool' (src/tool) {unplaced}"),
        (4, "package 'ghost' is named here but found in no source"),
        (5, "unknown key 'extra' in the configuration; expected: allow, app_labels, cache_dir, "
            "check_dependencies, count_type_checking_imports, ignore, internal_layers, isolated, "
            "layers, sources, unlayered"),
    ]  # fmt: skip


def test_broken_sources_are_not_walked(layered):
    assert problems(layered, "sources: 3\nlayers:\n  - name: all\n    packages: [ghost]\n") == [
        (1, "sources must be a list, got int '3'")
    ]


def test_a_source_matching_nothing_is_listed_with_the_schema_problems(layered):
    found = problems(
        layered,
        "sources: [src/*, lib/*]\nlayers:\n  - name: all\n    packages: [alpha]\nextra: 1\n",
    )
    assert (1, "source 'lib/*' matches nothing") in found
    assert any(line == 5 and message.startswith("unknown key 'extra'") for line, message in found)


def test_the_default_sources_are_the_packages_beside_the_file(tmp_path, cli, monkeypatch):
    for name in ("mysite/__init__.py", "shop/__init__.py", "shop/views.py", "manage.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "templates").mkdir()  # no __init__.py: not a package
    (tmp_path / "templates" / "page.py").write_text("")
    write(tmp_path, "layers:\n  - name: all\n    packages: [mysite, shop]\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check")
    assert (code, err) == (0, "")
    assert out == "0 violation(s), 3 file(s) checked\n"


def test_default_sources_matching_nothing_are_reported_at_the_mapping_not_line_0(
    tmp_path, cli, monkeypatch
):
    write(tmp_path, "# boundaries\n\nlayers:\n  - name: all\n    packages: [x]\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check")
    assert (code, out) == (2, "")
    assert err.splitlines()[1:] == [
        "layers.yaml:3: no 'sources' given, and the default '*/__init__.py' (the packages beside "
        "layers.yaml) matches nothing: add 'sources' naming where your packages are, e.g. "
        "sources: [src/*], or run `django-layers init`",
        "layers.yaml:5: package 'x' is named here but found in no source",
    ]


def test_a_written_source_matching_nothing_keeps_the_short_message(tmp_path):
    path = write(tmp_path, "sources: [lib/*]\nlayers:\n  - name: all\n    packages: [x]\n")
    with pytest.raises(ConfigError) as caught:
        run_check(load_config(path, snapshot=False), use_cache=False)
    assert caught.value.problems == [
        (1, "source 'lib/*' matches nothing"),
        (4, "package 'x' is named here but found in no source"),
    ]


def test_a_problem_at_the_top_line_does_not_stop_the_default_sources_being_read(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    found = problems(tmp_path, "extra: 1\nlayers:\n  - name: all\n    packages: [ghost]\n")
    assert (4, "package 'ghost' is named here but found in no source") in found
