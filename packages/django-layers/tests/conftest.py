import os
import shutil
import time
from pathlib import Path

import pytest

from django_layers.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def _age(tree: Path, seconds: int = 3600) -> None:
    """Date every file back, as in a real checkout: fresh files are not cached (racy mtimes)."""
    past = time.time() - seconds
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, (past, past))


@pytest.fixture
def copy_fixture(tmp_path, monkeypatch):
    """Copy a fixture tree to a temporary folder, work from there, and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        _age(target)
        monkeypatch.chdir(target)
        return target

    return copy


@pytest.fixture
def layered(copy_fixture):
    return copy_fixture("layered")


@pytest.fixture
def age():
    return _age


@pytest.fixture
def cli(capsys):
    """Run the command line in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def count_opens(monkeypatch):
    """Call it to start recording the paths ``open()`` is called with; returns that list."""

    def start() -> list[str]:
        opened: list[str] = []
        real_open = open

        def counting_open(path, *args, **kwargs):
            opened.append(str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("builtins.open", counting_open)
        return opened

    return start
