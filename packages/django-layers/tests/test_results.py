"""The last run's whole result: reused while nothing it depends on changed, never otherwise."""

import os
import time

import pytest

from django_layers import batch, cache, results
from django_layers.engine import run_check
from django_layers.loading import load_config


def check(root, **changes):
    config = load_config(root / "layers.yaml", snapshot=False)
    for key, value in changes.items():
        setattr(config, key, value)
    return run_check(config)


def outcome(result):
    return (
        [v.as_dict() for v in result.violations],
        [(e.path, e.line, e.col, e.message) for e in result.errors],
        result.dependencies,
        result.allowed,
        result.files,
        result.member_of,
        result.layer_of,
    )


@pytest.fixture
def no_reading(monkeypatch):
    """Fail the test if a run reads a source or loads the per-file cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged tree must be answered without reading")

    def arm():
        monkeypatch.setattr(batch, "read_bytes", refuse)
        monkeypatch.setattr(cache.FileCache, "_load", refuse)

    return arm


def test_an_unchanged_tree_is_answered_whole_without_reading(layered, no_reading):
    first = check(layered)
    assert first.violations
    assert first.from_cache == 0
    no_reading()
    again = check(layered)
    assert outcome(again) == outcome(first)
    assert (again.from_cache, again.fast, again.tree) == (again.files, 0, 0)


def test_file_errors_come_back_with_their_line_and_column(layered, age, no_reading):
    broken = layered / "src" / "basics" / "broken.py"
    broken.write_text("import os\ndef f(:\n")
    age(broken, seconds=600)
    first = check(layered)
    no_reading()
    again = check(layered)
    assert [(e.path, e.line, e.col) for e in again.errors] == [("src/basics/broken.py", 2, 7)]
    assert outcome(again) == outcome(first)


def test_an_edited_file_is_seen(layered, age):
    check(layered)
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text(plain.read_text().replace("import alpha\n", "import os.path\n"))
    age(plain, seconds=600)
    result = check(layered)
    assert result.from_cache == 19
    assert "basics.plain" not in {v.importer for v in result.violations if v.imported == "alpha"}


def test_an_added_or_removed_file_is_seen(layered, age):
    first = check(layered)
    added = layered / "src" / "basics" / "extra.py"
    added.write_text("import alpha\n")
    age(added, seconds=600)
    result = check(layered)
    assert result.files == first.files + 1
    assert "basics.extra" in {v.importer for v in result.violations}
    added.unlink()
    assert outcome(check(layered)) == outcome(first)


def test_a_changed_configuration_is_seen(layered):
    first = check(layered)
    counted = load_config(layered / "layers.yaml", snapshot=False).count_type_checking_imports
    changed = check(layered, count_type_checking_imports=not counted)
    config = load_config(layered / "layers.yaml", snapshot=False)
    config.count_type_checking_imports = not counted
    reference = run_check(config, use_cache=False)
    assert outcome(changed) == outcome(reference)
    assert outcome(changed) != outcome(first)


def test_another_working_directory_shows_other_paths(layered, monkeypatch):
    first = check(layered)
    monkeypatch.chdir(layered / "src")
    again = check(layered)
    assert [v.path for v in again.violations] == [
        v.path.removeprefix("src/") for v in first.violations
    ]


@pytest.fixture
def slow_clock(monkeypatch):
    """A file system whose times advance slowly: every file written by the test is recent."""
    monkeypatch.setattr(cache, "FINE_RACY_NS", 60 * 1_000_000_000)


def test_a_second_edit_that_keeps_size_and_time_is_seen(layered, slow_clock):
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text("import alpha\n")  # modified just now: within the clock's resolution
    assert "alpha" in {v.imported for v in check(layered).violations}
    stat = os.stat(plain)
    plain.write_text("import sys\n\n\n")  # the same size and modification time
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert os.stat(plain).st_size == stat.st_size
    assert "src/basics/plain.py" not in {v.path for v in check(layered).violations}


def test_recently_modified_files_are_hashed_until_they_age(layered, slow_clock, count_opens):
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text(plain.read_text())  # modified now
    first = check(layered)
    opened = count_opens()
    assert outcome(check(layered)) == outcome(first)
    assert str(plain) in opened  # its content was compared before the result was trusted
    past = time.time() - 600
    os.utime(plain, (past, past))
    check(layered)  # the tree is no longer fresh: stored again without the file's hash
    opened.clear()
    assert outcome(check(layered)) == outcome(first)
    assert str(plain) not in opened


def test_a_changed_pyproject_is_seen_when_dependencies_are_checked(copy_fixture, age):
    root = copy_fixture("declared")
    first = check(root)
    assert "undeclared" in {v.rule for v in first.violations}
    pyproject = root / "packages" / "two" / "pyproject.toml"
    text = pyproject.read_text()
    assert "dependencies = [" in text
    pyproject.write_text(text.replace("dependencies = [", 'dependencies = ["p_three", ', 1))
    age(pyproject, seconds=600)
    assert "undeclared" not in {v.rule for v in check(root).violations}


def test_a_corrupt_or_foreign_result_is_ignored(layered):
    first = check(layered)
    stored = layered / ".django-layers-cache" / "result.json"
    stored.write_text('{"key": ')
    assert outcome(check(layered)) == outcome(first)
    stored.write_text('{"key": "another", "result": {}}')
    assert outcome(check(layered)) == outcome(first)


def test_recent_means_two_seconds_for_whole_second_times_else_a_tenth():
    now = 1_000 * 1_000_000_000
    states = [
        ("whole-second, 1 s old", 1, now - 1_000_000_000),
        ("whole-second, 3 s old", 1, now - 3_000_000_000),
        ("fine, 50 ms old", 1, now - 50_000_001),
        ("fine, 150 ms old", 1, now - 150_000_001),
    ]
    assert results.racy(states, now) == ["whole-second, 1 s old", "fine, 50 ms old"]
