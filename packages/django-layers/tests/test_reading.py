"""``check`` reads only the records a rule can judge, and still proves every file compiles."""

import json

import pytest

from django_layers.engine import run_check
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
