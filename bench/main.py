"""Every package against the peers users would pick instead, on SQLite and PostgreSQL.

    bench/run [--quick] [--write-docs] [--only catalog,worklog] [--databases sqlite,postgresql]
    bench/run --scale [--scale-huge | --sizes 100000,1000000]

bench/run builds .venv-bench (bench/requirements.txt plus this repo's packages, installed
non-editable) and calls this module, which starts one worker per database (Django is configured
once per process), prints the table and, on a full run of every case, writes it to
docs/benchmarks.md. --quick runs tiny sizes, never writes the docs unless --write-docs says so,
and like every run exits non-zero when a case crashes.

--scale runs bench/scale.py instead (PostgreSQL, not part of make test): the pages and queries
of django-encounters and django-worklog at 10^5 and 10^6 rows (--scale-huge adds 10^7, --sizes
picks others), with statements, shared buffers, median time and the growth verdict per row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import row_from_dict, table_lines  # noqa: E402

ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"
# Case modules in bench/cases, in table order; layers needs no database.
CASES = [
    "layers",
    "audit_log",
    "singleton",
    "basemodels",
    "encounters",
    "modules",
    "catalog",
    "worklog",
    "parties",
    "rbac",
]
NO_DATABASE = {"layers"}
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
OURS = [
    "django-primitives-basemodels",
    "django-primitives-singleton",
    "django-primitives-parties",
    "django-primitives-rbac",
    "django-primitives-audit-log",
    "django-primitives-modules",
    "django-primitives-encounters",
    "django-primitives-catalog",
    "django-primitives-worklog",
    "django-primitives-layers",
]
PEERS = [
    "import-linter",
    "tach",
    "django-auditlog",
    "django-simple-history",
    "django-pghistory",
    "django-solo",
    "django-safedelete",
    "django-fsm-2",
    "django-waffle",
]


def run_worker(database: str, cases: list[str], args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "result.json"
        command = [
            sys.executable,
            str(HERE / "worker.py"),
            "--database",
            database,
            "--cases",
            ",".join(cases),
            "--out",
            str(out),
        ]
        if args.quick:
            command.append("--quick")
        if args.rounds:
            command += ["--rounds", str(args.rounds)]
        done = subprocess.run(command, check=False)
        if not out.exists():
            message = f"the {database} worker died (exit {done.returncode}) before reporting"
            return {
                "rows": [],
                "errors": [{"case": "*", "database": database, "traceback": message}],
            }
        return json.loads(out.read_text(encoding="utf-8"))


def run_scale(args: argparse.Namespace) -> int:
    """bench/scale.py in this environment; its table goes to the terminal."""
    sizes = args.sizes or ("100000,1000000,10000000" if args.scale_huge else "100000,1000000")
    done = subprocess.run([sys.executable, str(HERE / "scale.py"), "--sizes", sizes], check=False)
    return done.returncode


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
    }


def write_docs(lines: list[str], servers: dict[str, str], command: str) -> None:
    info = machine()
    ours = ", ".join(f"{name} {version(name)}" for name in OURS)
    peers = ", ".join(f"{name} {version(name)}" for name in PEERS)
    template = (HERE / "benchmarks.md.in").read_text(encoding="utf-8")
    DOCS.write_text(
        template.format(
            command=command,
            cores=info["cores"],
            memory=info["memory"],
            system=info["system"],
            python=info["python"],
            django=version("Django"),
            servers="; ".join(servers.values()) or "-",
            ours=ours,
            peers=peers,
            table="\n".join(lines),
        ),
        encoding="utf-8",
    )
    print(f"wrote {DOCS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round")
    parser.add_argument("--write-docs", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--only", help=f"comma-separated cases among {', '.join(CASES)}")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per pair (default 5)")
    parser.add_argument("--scale", action="store_true", help="run bench/scale.py instead")
    parser.add_argument("--scale-huge", action="store_true", help="--scale up to 10^7 rows")
    parser.add_argument("--sizes", help="--scale: rows per table, comma-separated")
    args = parser.parse_args(argv)
    if args.scale or args.scale_huge or args.sizes:
        return run_scale(args)
    cases = args.only.split(",") if args.only else CASES
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; expected some of {', '.join(CASES)}")

    urls = {"sqlite": "sqlite", "postgresql": POSTGRES_URL}
    results = []
    if set(cases) & NO_DATABASE:
        results.append(run_worker("none", [c for c in cases if c in NO_DATABASE], args))
    for name in args.databases.split(","):
        with_db = [c for c in cases if c not in NO_DATABASE]
        if with_db:
            results.append(run_worker(urls[name], with_db, args))

    rows = [row_from_dict(r) for result in results for r in result["rows"]]
    first: dict[tuple[str, ...], int] = {}
    for index, row in enumerate(rows):  # workers run the cases in table order
        first.setdefault((row.package,), index)
        first.setdefault((row.package, row.case), index)
        first.setdefault((row.package, row.case, row.peer), index)
    rows.sort(
        key=lambda r: (
            first[(r.package,)],
            first[(r.package, r.case)],
            first[(r.package, r.case, r.peer)],
            r.database != "sqlite",
        )
    )
    lines = table_lines(rows)
    errors = [e for result in results for e in result["errors"]]
    if args.quick:
        # A smoke run proves the harness still runs every case; its figures at tiny sizes on a
        # busy machine measure nothing, and printed as a table they read like regressions.
        print(f"bench smoke run (--quick): {len(rows)} rows from {len(cases)} cases ran, ", end="")
        print("no figures shown (they are not measurements; `make bench` measures)")
    else:
        print("\n".join(lines))
    for error in errors:
        print(f"\nCRASHED: {error['case']} on {error['database']}\n{error['traceback']}")
    full = not args.quick and not args.only and args.databases == "sqlite,postgresql"
    if not errors and (args.write_docs or full):
        servers = {r["server"]: r["server"] for r in results if r.get("server")}
        command = "bench/run" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
        write_docs(lines, servers, command.strip())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
