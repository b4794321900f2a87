"""What the admin's three indexes (migration 0007) cost a tracked write, on PostgreSQL.

Tracked creates of the test suite's six-field ``Invoice`` (one statement each, autocommit),
in interleaved rounds with the indexes ``audit_log_sensitivity_time``, ``audit_log_system_time``
and ``audit_log_request`` present and dropped; the figure per variant is the median round, and
the ratio is measured against the variant without them in the same run:

    cd packages/django-audit-log
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/admin_index_cost.py [--rows 1000] [--rounds 5]

Runs in a scratch database of its own (dropped and created again), never in the URL's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

SCRATCH = "bench_audit_log_admin_indexes"
INDEXES = {
    "audit_log_sensitivity_time": "(sensitivity, created_at)",
    "audit_log_system_time": "(is_system, created_at)",
    "audit_log_request": "(request_id)",
}


def setup(url: str) -> None:
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(url)
    with psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}"')
        connection.execute(f'CREATE DATABASE "{SCRATCH}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{SCRATCH}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the suite's settings, testapp
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, run_syncdb=True)


def set_indexes(present: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, columns in INDEXES.items():
            if present:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON django_audit_log_auditlog {columns}"
                )
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("CHECKPOINT")


def one_round(rows: int, start: int) -> float:
    """Seconds per tracked create."""
    from tests.testapp.models import Invoice

    from django_audit_log import audit_context

    began = time.perf_counter()
    with audit_context(actor="bench", request_id="bench-request"):
        for i in range(start, start + rows):
            Invoice.objects.create(number=f"N-{i}", customer="ACME")
    return (time.perf_counter() - began) / rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://... (the scratch database is made on that server)")
    setup(url)
    timings: dict[bool, list[float]] = {True: [], False: []}
    start = 0
    for _ in range(options.rounds):
        for present in (False, True):
            set_indexes(present)
            timings[present].append(one_round(options.rows, start))
            start += options.rows
    without, with_ = statistics.median(timings[False]), statistics.median(timings[True])
    print(f"tracked create, {options.rows} rows x {options.rounds} rounds (median round)")
    print(f"  without the admin indexes: {without * 1e6:8.1f} us   1.00x")
    print(f"  with the admin indexes:    {with_ * 1e6:8.1f} us   {with_ / without:.2f}x")


if __name__ == "__main__":
    main()
