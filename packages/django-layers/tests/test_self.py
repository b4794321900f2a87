"""django-layers checks itself: the repository's layers.yaml declares the checker's own layers."""

import shutil
from pathlib import Path

import pytest
import yaml

from django_layers.engine import run_check
from django_layers.loading import load_config

REPOSITORY = Path(__file__).resolve().parents[3]
SOURCES = REPOSITORY / "packages" / "django-layers" / "src" / "django_layers"


@pytest.fixture
def own_layers(tmp_path, monkeypatch):
    """A copy of django_layers' sources checked against the checker's layers of the repository's
    layers.yaml, its internal layers included (the other packages' layers left out)."""
    if not (REPOSITORY / "layers.yaml").is_file() or not SOURCES.is_dir():
        pytest.skip("needs the repository checkout around the package")
    declared = yaml.safe_load((REPOSITORY / "layers.yaml").read_text(encoding="utf-8"))
    own = [
        layer
        for layer in declared["layers"]
        if all(name.split(".")[0] == "django_layers" for name in layer["packages"])
    ]
    target = tmp_path / "src" / "django_layers"
    shutil.copytree(SOURCES, target, ignore=shutil.ignore_patterns("__pycache__"))
    internal = {"django_layers": declared["internal_layers"]["django_layers"]}
    (tmp_path / "layers.yaml").write_text(
        yaml.safe_dump({"sources": ["src/*"], "layers": own, "internal_layers": internal}),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(root):
    return run_check(load_config(root / "layers.yaml", snapshot=False), use_cache=False)


def test_the_checker_keeps_its_own_layers(own_layers):
    result = check(own_layers)
    assert (result.violations, result.errors) == ([], [])
    assert result.files > 20


def test_a_planted_back_import_is_caught(own_layers):
    model = own_layers / "src" / "django_layers" / "model.py"
    model.write_text(model.read_text() + "\nfrom django_layers.engine import run_check\n")
    config = own_layers / "src" / "django_layers" / "config.py"
    config.write_text(
        config.read_text() + "\n\ndef hidden():\n    from django_layers import cli\n\n"
        "    return cli\n"
    )
    found = {(v.importer, v.imported, v.rule) for v in check(own_layers).violations}
    assert found == {
        ("django_layers.model", "django_layers.engine", "layers"),
        ("django_layers.config", "django_layers.cli", "layers"),
    }
