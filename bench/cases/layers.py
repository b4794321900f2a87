"""django-layers against import-linter and tach on fresh checkouts of 10^3 to 10^4 files.

CI checks a fresh clone: no ``__pycache__``, every modification time new, no tool cache unless
CI restores one. So each tree is built once from packages this environment installs (Django
first, then other pure-Python projects, then more copies of them, each copy renamed:
``django_0``, ``django_1``, ...), without bytecode, and every timed run gets its own fresh copy
(new modification times) with ``PYTHONDONTWRITEBYTECODE=1``:

- **cold**: a fresh copy, no tool cache;
- **cold + CI cache**: a fresh copy, plus the cache folder a run on another copy left (what
  ``actions/cache`` restores);
- **warm**: the same copy again, cache left by the previous run.

Each tool runs as its own process; the figures are medians over interleaved rounds, and the
note gives each side's maximum resident memory (the largest of the tool's processes). The
contract, for Django and each copy of it: utils < db < views | core.handlers < contrib; the
other projects belong to no layer. django-layers and import-linter must report the same direct
violations, or the case fails. tach keeps no cache for ``tach check``: it is compared cold.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import django

PACKAGE = "django-layers"
SIBLINGS = ["views", "core.handlers"]
# Pure-Python projects of the bench environment, Django first; each tree takes what it needs.
PROJECTS = [
    "django", "networkx", "pip", "pygments", "setuptools", "prompt_toolkit", "rich", "psycopg",
    "markdown_it", "git", "gitdb", "packaging", "dateutil", "sqlparse", "click", "pyparsing",
    "smmap", "asgiref", "pydot",
]  # fmt: skip
SIZES = [1_000, 3_000, 10_000]
CACHES = {"django-layers": ".django-layers-cache", "import-linter": ".import_linter_cache"}


def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: pip install -r bench/requirements.txt")
    return found


def installed(project: str) -> Path:
    return Path(django.__file__).parent.parent / project


def python_files(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*.py") if "__pycache__" not in path.parts]


def _copy_project(source: Path, target: Path, suffix: str, names: list[str]) -> int:
    """Copy a project without bytecode, renaming it and every project it imports (``rich`` is
    ``rich_0`` in the first copy), so that no copy shadows what the tools themselves import."""
    renamed = re.compile(rf"(?<![.\w])({'|'.join(map(re.escape, names))})\b")
    count = 0
    for path in python_files(source):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        text = data.decode("utf-8", "surrogateescape")
        text = renamed.sub(lambda match: match.group(1) + suffix, text)
        data = text.encode("utf-8", "surrogateescape")
        destination.write_bytes(data)
        count += 1
    return count


def build_tree(root: Path, size: int) -> tuple[int, list[str]]:
    """Projects (and copies) under ``root/src`` until about ``size`` files; returns the file
    count and the top-level names of Django and its copies."""
    counts = {name: len(python_files(installed(name))) for name in PROJECTS}
    total, djangos, copy = 0, [], 0
    while total < size * 0.95:
        suffix = f"_{copy}"
        for name in PROJECTS:
            if total >= size * 0.95:
                break
            if total + counts[name] > size * 1.05:
                continue
            total += _copy_project(installed(name), root / "src" / f"{name}{suffix}", suffix,
                                   PROJECTS)  # fmt: skip
            if name == "django":
                djangos.append(f"django{suffix}")
        copy += 1
    return total, djangos


def write_configs(root: Path, djangos: list[str]) -> None:
    tops = sorted(p.name for p in (root / "src").iterdir())
    contracts = "".join(
        f"\n[importlinter:contract:{top}]\nname = {top} layers\ntype = layers\nlayers =\n"
        f"    {top}.contrib\n    {' | '.join(f'{top}.{s}' for s in SIBLINGS)}\n"
        f"    {top}.db\n    {top}.utils\n"
        for top in djangos
    )
    (root / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n" + "".join(f"    {t}\n" for t in tops) + contracts,
        encoding="utf-8",
    )

    def members(part: str) -> str:
        return json.dumps([f"{top}.{part}" for top in djangos])

    siblings = json.dumps([f"{top}.{s}" for top in djangos for s in SIBLINGS])
    (root / "layers.yaml").write_text(
        "sources: ['src/*']\nignore: []\ncheck_dependencies: false\nlayers:\n"
        f"  - name: utils\n    packages: {members('utils')}\n"
        f"  - name: db\n    packages: {members('db')}\n"
        f"  - name: views-handlers\n    independent: true\n    packages: {siblings}\n"
        f"  - name: contrib\n    packages: {members('contrib')}\n"
        f"unlayered: {json.dumps([t for t in tops if t not in djangos])}\n",
        encoding="utf-8",
    )
    modules = ""
    for top in djangos:
        lower = [f"{top}.utils", f"{top}.db"]
        sibling = [f"{top}.{s}" for s in SIBLINGS]
        modules += f'[[modules]]\npath = "{top}.utils"\ndepends_on = []\n'
        modules += f'[[modules]]\npath = "{top}.db"\ndepends_on = ["{top}.utils"]\n'
        for name in sibling:
            modules += f'[[modules]]\npath = "{name}"\ndepends_on = {json.dumps(lower)}\n'
        modules += (
            f'[[modules]]\npath = "{top}.contrib"\ndepends_on = {json.dumps(lower + sibling)}\n'
        )
    (root / "tach.toml").write_text(
        f'source_roots = ["src"]\nexclude = []\n\n{modules}', encoding="utf-8"
    )


def fresh_copy(master: Path, target: Path) -> Path:
    """A checkout as CI makes it: the same files, every modification time new."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(master, target, copy_function=shutil.copyfile)
    return target


def timed(command: list[str], cwd: Path) -> tuple[float, int, str, float]:
    """Seconds, maximum resident memory (KiB, the largest of its processes), output, and CPU
    seconds (user and system, of the tool and every process it waited for: on a shared
    machine, what the tool itself cost)."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(cwd / "src"))
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.PIPE,
                                   env=environment)  # fmt: skip
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            raise RuntimeError(f"{command[0]} failed ({process.returncode}):\n{errors.decode()}")
        out.seek(0)
        return seconds, usage.ru_maxrss, out.read().decode(), usage.ru_utime + usage.ru_stime


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


def measure(master: Path, work: Path, rounds: int) -> tuple[dict, dict]:
    """``{(tool, phase): [(seconds, rss, cpu), ...]}`` over interleaved rounds, and each tool's
    last cold output."""
    commands = {
        "django-layers": [tool("django-layers"), "check", "--format", "json"],
        "import-linter": [tool("lint-imports"), "--no-logo"],
        "tach": [tool("tach"), "check"],
    }
    figures: dict[tuple[str, str], list[tuple[float, int, float]]] = {}
    outputs: dict[str, str] = {}
    saved = work / "saved-caches"
    for number in range(rounds):
        names = list(commands)
        order = names[number % 3 :] + names[: number % 3]
        for name in order:
            tree = fresh_copy(master, work / "tree")
            seconds, rss, outputs[name], cpu = timed(commands[name], tree)
            figures.setdefault((name, "cold"), []).append((seconds, rss, cpu))
            if name in CACHES:
                seconds, rss, _, cpu = timed(commands[name], tree)
                figures.setdefault((name, "warm"), []).append((seconds, rss, cpu))
                shutil.rmtree(saved / name, ignore_errors=True)
                shutil.copytree(tree / CACHES[name], saved / name)
        for name in order:
            if name in CACHES:
                tree = fresh_copy(master, work / "tree")
                shutil.copytree(saved / name, tree / CACHES[name])
                seconds, rss, _, cpu = timed(commands[name], tree)
                figures.setdefault((name, "cold + CI cache"), []).append((seconds, rss, cpu))
    return figures, outputs


def _median(values: list[tuple[float, int, float]]) -> tuple[float, float, float]:
    seconds, rss, cpu = zip(*values, strict=True)
    return statistics.median(seconds), statistics.median(rss), statistics.median(cpu)


def run(bench) -> None:
    sizes = [1_000] if bench.sizes.quick else SIZES
    rounds = bench.sizes.rounds  # each round runs every tool seven times (tach three)
    for size in sizes:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            master = work / "master"
            files, djangos = build_tree(master, size)
            write_configs(master, djangos)
            figures, outputs = measure(master, work, rounds)
        ours_found = django_layers_direct(outputs["django-layers"])
        theirs = import_linter_direct(outputs["import-linter"])
        if ours_found != theirs:
            raise AssertionError(
                f"django-layers and import-linter disagree on the direct violations at {files} "
                f"files: only ours {sorted(ours_found - theirs)}, only import-linter "
                f"{sorted(theirs - ours_found)}"
            )
        tree = f"{files:,} files"
        for phase, peers in (
            ("cold", ["import-linter", "tach"]),
            ("cold + CI cache", ["import-linter"]),
            ("warm", ["import-linter"]),
        ):
            ours, ours_rss, ours_cpu = _median(figures[("django-layers", phase)])
            for peer in peers:
                theirs_time, theirs_rss, theirs_cpu = _median(figures[(peer, phase)])
                note = (
                    f"max RSS {ours_rss / 1024:.0f} / {theirs_rss / 1024:.0f} MiB; CPU "
                    f"{ours_cpu:.2f} / {theirs_cpu:.2f} s ({ours_cpu / theirs_cpu:.2f}x)"
                )
                if peer == "tach":
                    note += "; tach keeps no cache"
                bench.add(f"check {tree}, fresh checkout, {phase}", peer, ours, theirs_time,
                          None, None, note)  # fmt: skip
    print(f"layers trees: {', '.join(PROJECTS)} ({metadata.version('Django')})", file=sys.stderr)
