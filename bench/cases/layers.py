"""django-layers against import-linter and tach on the installed Django source tree.

The contract, lowest layer first: django.utils < django.db < (django.views |
django.core.handlers, independent of each other) < django.contrib. Each tool's command line runs
cold (its cache removed) and warm (cache left by the previous run). tach keeps no cache for
``tach check``, so its cold and warm runs do the same work. django-layers and import-linter must
report the same direct violations, or the case fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import django

PACKAGE = "django-layers"
SIBLINGS = ["django.views", "django.core.handlers"]
TOP = "django.contrib"


def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: pip install -r bench/requirements.txt")
    return found


def write_configs(workdir: Path, django_dir: Path) -> None:
    (workdir / ".importlinter").write_text(
        "[importlinter]\nroot_package = django\n\n"
        "[importlinter:contract:layers]\nname = django layers\ntype = layers\nlayers =\n"
        f"    {TOP}\n    {' | '.join(SIBLINGS)}\n    django.db\n    django.utils\n",
        encoding="utf-8",
    )
    layers = "  - name: utils\n    packages: [django.utils]\n"
    layers += "  - name: db\n    packages: [django.db]\n"
    layers += f"  - name: views-handlers\n    independent: true\n    packages: {SIBLINGS}\n"
    layers += f"  - name: contrib\n    packages: [{TOP}]\n"
    (workdir / "layers.yaml").write_text(
        f"sources: ['{django_dir}']\nignore: []\ncheck_dependencies: false\nlayers:\n{layers}",
        encoding="utf-8",
    )
    # tach reads only files under its source root (no symlinks): it checks a copy of the tree.
    shutil.copytree(django_dir, workdir / "tach" / "django")
    lower = ["django.utils"]
    modules = '[[modules]]\npath = "django.utils"\ndepends_on = []\n'
    modules += '[[modules]]\npath = "django.db"\ndepends_on = ["django.utils"]\n'
    lower.append("django.db")
    for sibling in SIBLINGS:
        modules += f'[[modules]]\npath = "{sibling}"\ndepends_on = {json.dumps(lower)}\n'
    modules += f'[[modules]]\npath = "{TOP}"\ndepends_on = {json.dumps(lower + SIBLINGS)}\n'
    (workdir / "tach" / "tach.toml").write_text(
        f'source_roots = ["."]\nexclude = []\n\n{modules}', encoding="utf-8"
    )


def running(command: list[str], cwd: Path, outputs: dict, key: str, cache: Path | None):
    def prepare():
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)

        def action():
            done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stderr}")
            outputs[key] = done.stdout

        return action

    return prepare


def import_linter_direct(output: str) -> set[tuple[str, str]]:
    """Chains of one link (``- a -> b (l.N)`` followed by a blank line) are direct imports."""
    direct = set()
    for block in re.split(r"\n\s*\n", output):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if len(lines) == 1:
            match = re.match(r"- (\S+) -> (\S+) \(l\.[\d, l.]+\)$", lines[0].strip())
            if match:
                direct.add((match.group(1), match.group(2)))
    return direct


def django_layers_direct(output: str) -> set[tuple[str, str]]:
    return {
        (v["importer"], v["imported"])
        for v in json.loads(output)["violations"]
        if v["kind"] in ("import", "from", "type_only")
    }


def run(bench) -> None:
    django_dir = Path(django.__file__).parent
    files = sum(1 for _ in django_dir.rglob("*.py"))
    rounds = bench.sizes.pick(5, 1)
    outputs: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        write_configs(workdir, django_dir)
        ours_cache = workdir / ".django-layers-cache"
        ours = [tool("django-layers"), "check", "--format", "json"]
        peers = {
            "import-linter": ([tool("lint-imports")], workdir, workdir / ".import_linter_cache"),
            "tach": ([tool("tach"), "check"], workdir / "tach", None),
        }
        tree = f"Django {django.get_version()} ({files:,} files)"
        for peer, (command, cwd, cache) in peers.items():
            for phase in ("cold", "warm"):
                bench.pair(
                    f"check {tree}, {phase}",
                    peer,
                    running(
                        ours, workdir, outputs, "ours", ours_cache if phase == "cold" else None
                    ),
                    running(command, cwd, outputs, peer, cache if phase == "cold" else None),
                    rounds=rounds,
                    queries=False,
                    note="no cache: cold = warm" if peer == "tach" else "",
                )
    ours_found = django_layers_direct(outputs["ours"])
    theirs = import_linter_direct(outputs["import-linter"])
    if ours_found != theirs:
        raise AssertionError(
            f"django-layers and import-linter disagree on the direct violations: only ours "
            f"{sorted(ours_found - theirs)}, only import-linter {sorted(theirs - ours_found)}"
        )
