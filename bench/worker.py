"""Runs case modules against one database in this process and writes their rows as JSON.

    python bench/worker.py --database sqlite|postgres://...|none --cases a,b [--quick] --out F

Django can be configured once per process, so main.py starts one worker per database. A case
that crashes is recorded (with its traceback) and the others still run.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import sys
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import Collector, Sizes  # noqa: E402


def database_label(url: str) -> str:
    return {"none": "-", "sqlite": "sqlite"}.get(url, "postgresql")


def setup_django(url: str) -> str | None:
    """Configure Django for ``url``, create the scratch database; returns the old name."""
    os.environ["BENCH_DATABASE"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    import django

    django.setup()
    from django.db import connection

    return connection.creation.create_test_db(verbosity=0, autoclobber=True)


def server_version() -> str | None:
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.parameter_status("server_version")
        return f"PostgreSQL {version}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return None


def run_cases(names: list[str], url: str, sizes: Sizes) -> dict:
    label = database_label(url)
    result: dict = {"rows": [], "errors": [], "server": None}
    old_name = setup_django(url) if url != "none" else None
    try:
        if url != "none":
            result["server"] = server_version()
        for name in names:
            module = importlib.import_module(f"cases.{name}")
            collector = Collector(module.PACKAGE, label, sizes)
            print(f"[{label}] {name} ...", file=sys.stderr, flush=True)
            try:
                module.run(collector)
            except Exception:  # recorded, reported, and fails the run
                result["errors"].append(
                    {"case": name, "database": label, "traceback": traceback.format_exc()}
                )
                print(traceback.format_exc(), file=sys.stderr, flush=True)
            result["rows"] += [dataclasses.asdict(row) for row in collector.rows]
    finally:
        if old_name is not None:
            from django.db import connection

            connection.creation.destroy_test_db(old_name, verbosity=0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--cases", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sizes = Sizes(quick=args.quick, rounds=args.rounds or (1 if args.quick else 5))
    result = run_cases(args.cases.split(","), args.database, sizes)
    result["django"] = metadata.version("Django")
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
