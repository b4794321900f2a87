"""django-layers against import-linter on the installed Django source tree, in one run.

    pip install -r packages/django-layers/bench/requirements.txt -e packages/django-layers
    python packages/django-layers/bench/vs_import_linter.py [--rounds 7]

The contract, lowest layer first: django.utils < django.db < (django.views | django.core.handlers,
independent of each other) < django.contrib. Each round runs both command-line tools, cold (no
cache) then warm (cache from the cold run), alternating which tool goes first; the medians are
compared as ratios (django-layers / import-linter), of wall-clock time and, because a shared
machine's load inflates waiting time, of CPU time as well. Both tools must report the same
direct violations, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYERS = [("utils", ["django.utils"]), ("db", ["django.db"])]
SIBLINGS = ["django.views", "django.core.handlers"]
TOP = "django.contrib"


def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install -r bench/requirements.txt")
    return found


def write_configs(workdir: Path, django_dir: Path) -> None:
    (workdir / ".importlinter").write_text(
        "[importlinter]\nroot_package = django\n\n"
        "[importlinter:contract:layers]\nname = django layers\ntype = layers\nlayers =\n"
        f"    {TOP}\n    {' | '.join(SIBLINGS)}\n    django.db\n    django.utils\n",
        encoding="utf-8",
    )
    layers = "".join(f"  - name: {name}\n    packages: {packages}\n" for name, packages in LAYERS)
    layers += f"  - name: views-handlers\n    independent: true\n    packages: {SIBLINGS}\n"
    layers += f"  - name: contrib\n    packages: [{TOP}]\n"
    (workdir / "layers.yaml").write_text(
        f"sources: ['{django_dir}']\nignore: []\ncheck_dependencies: false\nlayers:\n{layers}",
        encoding="utf-8",
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], workdir: Path) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds (user + system) and the output of one run."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, _children_cpu() - cpu, done.stdout


def import_linter_direct(output: str) -> set[tuple[str, str]]:
    """Chains of one link (``- a -> b (l.N)`` followed by a blank line) are direct imports."""
    direct = set()
    blocks = re.split(r"\n\s*\n", output)
    for block in blocks:
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if len(lines) == 1:
            match = re.match(r"- (\S+) -> (\S+) \(l\.[\d, l.]+\)$", lines[0].strip())
            if match:
                direct.add((match.group(1), match.group(2)))
    return direct


def django_layers_direct(output: str) -> set[tuple[str, str]]:
    data = json.loads(output)
    return {
        (v["importer"], v["imported"])
        for v in data["violations"]
        if v["kind"] in ("import", "from", "type_only")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    import django

    django_dir = Path(django.__file__).parent
    files = sum(1 for _ in django_dir.rglob("*.py"))
    lint_imports, django_layers = _tool("lint-imports"), _tool("django-layers")
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        write_configs(workdir, django_dir)
        caches = {"import-linter": workdir / ".import_linter_cache",
                  "django-layers": workdir / ".django-layers-cache"}  # fmt: skip
        commands = {"import-linter": [lint_imports],
                    "django-layers": [django_layers, "check", "--format", "json"]}  # fmt: skip
        phases = ("cold", "warm", "cold cpu", "warm cpu")
        times = {name: {phase: [] for phase in phases} for name in commands}
        outputs: dict[str, str] = {}
        for round_number in range(options.rounds):
            order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
            for name in order:
                shutil.rmtree(caches[name], ignore_errors=True)
                cold, cold_cpu, outputs[name] = timed(commands[name], workdir)
                # A file newer than 2 s is not cached (see cache.py): Django's files are old.
                warm, warm_cpu, _ = timed(commands[name], workdir)
                for phase, value in zip(phases, (cold, warm, cold_cpu, warm_cpu), strict=True):
                    times[name][phase].append(value)
    ours = django_layers_direct(outputs["django-layers"])
    theirs = import_linter_direct(outputs["import-linter"])
    print(f"Django {django.get_version()} at {django_dir} ({files} files), {options.rounds} rounds")
    for name in commands:
        cold, warm, cold_cpu, warm_cpu = (statistics.median(times[name][k]) for k in phases)
        print(
            f"  {name:14} cold {cold:.3f} s   warm {warm:.3f} s   "
            f"(CPU: cold {cold_cpu:.3f} s, warm {warm_cpu:.3f} s)"
        )
    goals = {"cold": 1.0, "warm": 0.5, "cold cpu": 1.0, "warm cpu": 0.5}
    for phase, goal in goals.items():
        ratio = statistics.median(times["django-layers"][phase]) / statistics.median(
            times["import-linter"][phase]
        )
        verdict = "meets" if ratio <= goal else "MISSES"
        print(
            f"  {phase:8} ratio django-layers / import-linter = {ratio:.2f} ({verdict} <= {goal})"
        )
    print(f"  direct violations: django-layers {len(ours)}, import-linter {len(theirs)}")
    for importer, imported in sorted(ours | theirs):
        where = "both" if (importer, imported) in ours & theirs else "ONLY ONE TOOL"
        print(f"    {importer} -> {imported} ({where})")
    if ours != theirs:
        sys.exit("the tools disagree on the direct violations")


if __name__ == "__main__":
    main()
