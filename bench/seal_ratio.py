"""What tamper evidence costs the write path: django-audit-log's tracked writes with
AUDIT_LOG_SEAL_KEY set (each entry stamped as it is written) against the same writes without it.

Only the three sealing rows of cases/audit_log.py, at full size, so they can be measured on
their own in a minute (`make bench` runs them with everything else):

    BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/postgres \
        .venv-bench/bin/python bench/seal_ratio.py [--saves 200] [--rounds 11]

Rounds are interleaved (on, off, off, on, ...); the figure per side is the median round, as
wall time and as this process's CPU time (which a busy machine disturbs far less).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.chdir(BENCH)


def cpu_and_wall(prepare, saves: int) -> tuple[float, float]:
    action = prepare()
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return (time.process_time() - cpu) / saves, (time.perf_counter() - wall) / saves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()

    import worker

    old_name = worker.setup_django(os.environ.get("BENCH_DATABASE", "sqlite"))
    from benchapp.models import TrackedItem, TrackedUuidItem
    from cases.audit_log import creating, sealing, updating
    from django.db import connection

    print(f"{worker.server_version()}, {args.saves} writes a round, {args.rounds} rounds")
    try:
        for label, model, make in (
            ("tracked create(), integer key", TrackedItem, creating),
            ("tracked create(), UUID key", TrackedUuidItem, creating),
            ("tracked save() (update)", TrackedItem, updating),
        ):
            sides = {
                "on": sealing(make(model, args.saves), on=True),
                "off": sealing(make(model, args.saves), on=False),
            }
            for side in sides.values():
                cpu_and_wall(side, args.saves)  # warm up
            runs: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
            for number in range(args.rounds):
                for name in ("on", "off") if number % 2 == 0 else ("off", "on"):
                    runs[name].append(cpu_and_wall(sides[name], args.saves))
            cpu = {name: statistics.median(c for c, _ in got) for name, got in runs.items()}
            wall = {name: statistics.median(w for _, w in got) for name, got in runs.items()}
            print(
                f"{label}: wall {wall['on'] * 1e6:.0f} / {wall['off'] * 1e6:.0f} µs = "
                f"{wall['on'] / wall['off']:.2f}x; CPU {cpu['on'] * 1e6:.0f} / "
                f"{cpu['off'] * 1e6:.0f} µs = {cpu['on'] / cpu['off']:.2f}x (sealing on / off)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
