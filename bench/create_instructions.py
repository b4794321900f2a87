"""What a tracked create() costs the Python process, counted in instructions rather than time.

On a shared machine the wall and CPU time of a create move by tens of percent from run to run;
the number of instructions the process executes does not (about 3%). Each model's creates run
under valgrind's callgrind twice, with no create and with ``--creates`` of them (after 20 to
warm the caches), against the same scratch database; the difference divided by ``--creates``
is one create's count. Needs valgrind and a PostgreSQL server:

    BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/postgres \
        .venv-bench/bin/python bench/create_instructions.py [--creates 200]

The models are those of cases/audit_log.py: tracked and plain, with an integer and a UUID key.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.chdir(BENCH)
MODELS = ("TrackedItem", "PlainItem", "TrackedUuidItem", "PlainUuidItem")
WARM_UP = 20


def create_many(model_name: str, creates: int) -> None:
    """In the child: Django on the scratch database (already migrated), then the creates."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    import django

    django.setup()
    from benchapp import models

    model = getattr(models, model_name)
    for i in range(WARM_UP + creates):
        model.objects.create(
            number=f"N-{i}",
            customer="ACME",
            amount=decimal.Decimal("10.00"),
            issued_on=datetime.date(2025, 1, 1),
            note="",
        )


def instructions(model_name: str, creates: int, url: str) -> int:
    """The instructions the child process executes (callgrind's total)."""
    completed = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            model_name,
            "--creates",
            str(creates),
        ],
        env={**os.environ, "BENCH_DATABASE": url},
        capture_output=True,
        text=True,
        check=True,
    )
    collected = [line for line in completed.stderr.splitlines() if "Collected :" in line]
    return int(collected[-1].split(":")[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        create_many(args.child, args.creates)
        return

    import worker
    from django.db import connection

    url = os.environ["BENCH_DATABASE"]
    old_name = worker.setup_django(url)
    scratch = url.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    connection.close()
    print(f"{worker.server_version()}, {args.creates} creates, instructions per create:")
    try:
        for model_name in MODELS:
            idle = instructions(model_name, 0, scratch)
            busy = instructions(model_name, args.creates, scratch)
            print(f"  {model_name:16} {(busy - idle) // args.creates:>10,}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
