"""``check`` reads only the records a rule can judge, and still proves every file compiles."""

import json
import os

import pytest

from django_layers.engine import run_check
from django_layers.extract import extract_ast
from django_layers.loading import load_config


@pytest.fixture
def partly_judged(layered, age):
    """The layered fixture plus an unlayered package, dependencies not checked."""
    text = (layered / "layers.yaml").read_text()
    (layered / "layers.yaml").write_text(text + "unlayered: [extra]\ncheck_dependencies: false\n")
    extra = layered / "src" / "extra"
    extra.mkdir()
    (extra / "__init__.py").write_text("import alpha\nfrom beta import api\n")
    (extra / "broken.py").write_text("import os\n\ndef f(:\n    pass\n")
    (extra / "scopes.py").write_text("def f():\n    x = 1\n    def g():\n        nonlocal y\n")
    (extra / "models.py").write_text(
        "from django.db import models\nx = models.ForeignKey('alpha.M')\n"
    )
    (extra / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9'\ndef f(:\n")
    (extra / "nul.py").write_bytes(b"x = 1\0\n")
    age(layered)
    return layered


def check(root, every_dependency, use_cache=True):
    config = load_config(root / "layers.yaml", snapshot=False)
    return run_check(config, use_cache=use_cache, every_dependency=every_dependency)


def findings(result):
    return (
        [v.as_dict() for v in result.violations],
        [(e.path, e.line, e.col, e.message) for e in result.errors],
    )


def test_findings_are_those_of_reading_everything(partly_judged):
    everything = check(partly_judged, every_dependency=True, use_cache=False)
    judged = check(partly_judged, every_dependency=False, use_cache=False)
    assert findings(judged) == findings(everything)
    assert {(e.path, e.line) for e in judged.errors} == {
        ("src/extra/broken.py", 3),
        ("src/extra/latin.py", 3),  # not UTF-8: compiled from its bytes
        ("src/extra/nul.py", 1),
        ("src/extra/scopes.py", 4),  # only CPython's compiler reports this one
    }
    assert judged.files == everything.files
    assert judged.fast + judged.tree < everything.fast + everything.tree
    assert {d.importer.split(".")[0] for d in judged.dependencies} <= {
        "alpha", "beta", "basics", "shop", "tool",
    }  # fmt: skip
    assert "extra" in {d.importer for d in everything.dependencies}


def test_files_only_proven_are_read_when_a_later_run_needs_them(partly_judged):
    reference = check(partly_judged, every_dependency=True, use_cache=False)
    check(partly_judged, every_dependency=False)  # remembers extra/ as compiling, unread
    full = check(partly_judged, every_dependency=True)
    assert full.dependencies == reference.dependencies
    assert findings(full) == findings(reference)
    again = check(partly_judged, every_dependency=False)
    assert findings(again) == findings(reference)


def test_the_command_line_check_reads_only_judged_packages(partly_judged, cli):
    code, out, _ = cli("check", "--format", "json", "--no-cache")
    assert code == 2  # the broken files
    reference = check(partly_judged, every_dependency=True, use_cache=False)
    data = json.loads(out)
    assert data["summary"]["read_fast"] + data["summary"]["read_by_syntax_tree"] < (
        reference.fast + reference.tree
    )
    assert [(e["path"], e["line"]) for e in data["errors"]] == [
        (e.path, e.line) for e in reference.errors
    ]


def test_a_fast_pass_failure_on_a_file_assumed_valid_falls_back_to_the_tree(tmp_path, monkeypatch):
    from django_layers import reader, scan

    source = tmp_path / "m.py"
    source.write_text("import a\nfrom b import c\n")

    def failing(text):
        raise IndexError("as the pass might on a file that does not parse")

    monkeypatch.setattr(scan, "scan", failing)
    data = source.read_bytes()
    records, _, how = reader.extract_source(str(source), os.stat(source), data, False, True)
    assert how == "tree"
    assert records == extract_ast(data)
    with pytest.raises(IndexError):  # a file not assumed valid: nothing is hidden
        reader.extract_source(str(source), os.stat(source), data, False, False)


def test_a_whole_result_whose_recent_file_is_gone_is_not_used(tmp_path):
    from django_layers import results
    from django_layers.model import Result

    results.save(tmp_path, "key", Result(), {str(tmp_path / "gone.py"): "0" * 32})
    assert results.load(tmp_path, "key") is None


def test_each_new_file_is_read_once_and_a_fresh_checkout_of_it_found_by_content(
    partly_judged, monkeypatch
):
    """A cold run reads each file once (hashing it and reading its records in one go); only the
    files ruff does not vouch for are read again, by CPython. A fresh checkout with the cache
    (new modification times) reads each file once more, to hash it, and parses only those in
    error."""
    from django_layers import batch, parallel, reader

    monkeypatch.setattr(parallel, "can_fork", lambda: False)  # the counts are kept here
    reads: list[str] = []  # first readings
    rereads: list[str] = []  # readings for CPython

    def counted(into, original):
        def read(path, *size):
            into.append(path)
            return original(path, *size)

        return read

    monkeypatch.setattr(batch, "read_bytes", counted(reads, batch.read_bytes))
    monkeypatch.setattr(reader, "read_bytes", counted(rereads, reader.read_bytes))
    config = load_config(partly_judged / "layers.yaml", snapshot=False)
    cold = run_check(config, every_dependency=False)
    assert len(reads) == len(set(reads)) == cold.files
    assert 0 < len(rereads) <= len(cold.errors)  # only files in error are read again
    (partly_judged / ".django-layers-cache" / "result.json").unlink()
    for path in set(reads):
        os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    reads.clear()
    rereads.clear()
    again = run_check(config, every_dependency=False)
    assert len(reads) == len(set(reads)) == again.files
    assert again.from_cache == again.files - len(again.errors)  # files in error are not kept
    assert [(e.path, e.line, e.col) for e in again.errors] == [
        (e.path, e.line, e.col) for e in cold.errors
    ]


def _recorded(monkeypatch):
    """Every start of ruff (the paths asked about) and every ``stat`` of a source file, in
    order, and the number of processes each reading of new files was given."""
    from django_layers import batch, engine, syntax

    events: list[tuple[str, object]] = []

    def start_ruff(paths, binary=None):
        events.append(("ruff", sorted(paths)))
        return original_start(paths, binary)

    def stat_sources(tree):
        events.append(("stat", sorted(path for path, _, _ in tree.files)))
        return original_stat(tree)

    def run_all(function, tasks, workers=None):
        events.append(("read", workers))
        return original_run_all(function, tasks, workers)

    original_start, original_stat = syntax.start_ruff, engine.stat_sources
    original_run_all = batch.run_all
    monkeypatch.setattr(syntax, "start_ruff", start_ruff)
    monkeypatch.setattr(batch, "start_ruff", start_ruff)
    monkeypatch.setattr(engine, "stat_sources", stat_sources)
    monkeypatch.setattr(batch, "run_all", run_all)
    return events


@pytest.mark.parametrize("use_cache", [True, False])
def test_without_any_cache_ruff_starts_on_every_file_before_any_is_stated(
    partly_judged, monkeypatch, use_cache
):
    """A fresh checkout without a CI cache (or ``--no-cache``): nothing can come from a cache,
    so ruff is started on every file at once, and parses while the files are stated and read;
    the reading then takes half the cores (ruff the others), and the findings are unchanged."""
    from django_layers import batch

    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    events = _recorded(monkeypatch)
    assert not (partly_judged / ".django-layers-cache").exists()
    result = check(partly_judged, every_dependency=False, use_cache=use_cache)
    assert [kind for kind, _ in events][:3] == ["ruff", "stat", "read"]
    files = events[1][1]
    assert events[0] == ("ruff", files)
    assert [event for event in events if event[0] == "ruff"] == [events[0]]  # started once
    assert events[2] == ("read", 2)
    assert result.files == len(files)
    assert [(e.path, e.line, e.col) for e in result.errors] == [
        ("src/extra/broken.py", 3, 7),
        ("src/extra/latin.py", 3, 7),
        ("src/extra/nul.py", 1, 1),
        ("src/extra/scopes.py", 4, 9),
    ]


def test_with_a_cache_ruff_is_asked_after_the_reading_about_new_content_only(
    partly_judged, monkeypatch
):
    """With a cache folder, ruff waits for the files to be hashed: it is asked only about the
    content the cache does not know, and the reading has every core."""
    from django_layers import batch

    check(partly_judged, every_dependency=False)
    (partly_judged / ".django-layers-cache" / "result.json").unlink()
    changed = partly_judged / "src" / "extra" / "__init__.py"
    changed.write_text("import alpha\n")
    os.utime(changed, ns=(0, 10**9))  # old enough to be remembered by path
    monkeypatch.setattr(batch, "usable_cores", lambda: 4)
    events = _recorded(monkeypatch)
    check(partly_judged, every_dependency=False)
    asked = [paths for kind, paths in events if kind == "ruff"]
    assert [kind for kind, _ in events][:3] == ["stat", "read", "ruff"]
    assert events[1] == ("read", None)
    # The changed file, and the two in error that ruff may judge (files in error are not kept).
    extra = partly_judged / "src" / "extra"
    assert asked == [
        sorted(str(path) for path in (changed, extra / "broken.py", extra / "scopes.py"))
    ]


def test_warnings_about_the_checked_code_make_no_file_an_error(partly_judged):
    # Warnings are errors in this suite: an invalid escape that any compiling of a batch let
    # through would turn into a syntax error (the tree, a ``nonlocal`` statement, a file in a
    # foreign encoding, a file no rule reads that is compiled whole).
    alpha = partly_judged / "src" / "alpha"
    (alpha / "escapes.py").write_text('import os; x = "\\d"\n')
    (alpha / "closure.py").write_text(
        'def f():\n    x = "\\d"\n    def g():\n        nonlocal x\n        x = "\\w"\n'
    )
    (alpha / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nx = '\xe9\\d'\n")
    (partly_judged / "src" / "extra" / "quoted.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nx = '\xe9\\d'\n"
    )
    for every_dependency in (True, False):
        result = check(partly_judged, every_dependency=every_dependency, use_cache=False)
        assert {e.path for e in result.errors} == {
            "src/extra/broken.py", "src/extra/latin.py", "src/extra/nul.py",
            "src/extra/scopes.py",
        }  # fmt: skip
        assert ("alpha.escapes", "os") in {(d.importer, d.imported) for d in result.dependencies}
