"""What the MariaDB append-only triggers cost the one UPDATE they let through: Django's SET NULL
of a deleted user's key over many audit-like rows, with the triggers (which compare every column
byte for byte and check the table's column list) against the same UPDATE on the same table
without them, in one run:

    BENCH_MARIADB=mysql://root@127.0.0.1:3306 .venv-dev/bin/python bench/append_only_mariadb.py \
        [--rows 5000] [--rounds 7]

It works in a scratch database, ``bench_append_only``, created and dropped by the run. Rounds are
interleaved (with, without, without, with, ...); the figure per side is the median round.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import dj_database_url
import django
from django.conf import settings

SCRATCH = "bench_append_only"
TABLE = "bench_entry"
COLUMNS = """id bigint PRIMARY KEY, created_at datetime(6) NOT NULL, action varchar(100) NOT NULL,
actor_id bigint NULL, actor_display varchar(150) NOT NULL, target_ct_id int NULL,
target_id varchar(255) NOT NULL, target_repr varchar(255) NOT NULL, changes longtext NOT NULL,
metadata longtext NOT NULL, ip_address char(39) NULL, user_agent varchar(512) NOT NULL,
request_id varchar(64) NOT NULL, sensitivity varchar(10) NOT NULL, is_system bool NOT NULL"""


def setup() -> None:
    url = os.environ.get("BENCH_MARIADB", "mysql://root@127.0.0.1:3306")
    database = dj_database_url.parse(url)  # no database yet: main() creates it and USEs it
    settings.configure(DATABASES={"default": database}, USE_TZ=True, INSTALLED_APPS=[])
    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from django_basemodels.append_only_mariadb import MariaDBAppendOnly
    from django_basemodels.append_only_postgresql import AppendOnlyTable

    spec = AppendOnlyTable(table=TABLE, rows="entries", hint="", set_null_columns=("actor_id",))
    backend = MariaDBAppendOnly()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE DATABASE {SCRATCH}")
        cursor.execute(f"USE {SCRATCH}")
        cursor.execute(f"CREATE TABLE {TABLE} ({COLUMNS})")
    try:
        timings: dict[bool, list[float]] = {True: [], False: []}
        for index in range(args.rounds * 2):
            with_triggers = index % 4 in (0, 3)
            elapsed = one_round(connection, backend, spec, args.rows, with_triggers)
            timings[with_triggers].append(elapsed)
        with_ms = statistics.median(timings[True]) * 1000
        without_ms = statistics.median(timings[False]) * 1000
        print(f"SET NULL over {args.rows} rows, median of {args.rounds} rounds each:")
        print(f"  without triggers  {without_ms:8.1f} ms")
        print(f"  with triggers     {with_ms:8.1f} ms")
        print(f"  ratio             {with_ms / without_ms:8.2f}x")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


def one_round(connection, backend, spec, rows: int, with_triggers: bool) -> float:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} SELECT seq, UTC_TIMESTAMP(6), 'invoice.sent', 1, 'ann', 7, "
            "seq, 'invoice', '{}', '{\"to\": \"x@y.z\"}', '10.0.0.1', 'agent', 'req', 'normal', 0 "
            f"FROM seq_1_to_{rows}"
        )
    if with_triggers:
        with connection.schema_editor() as editor:
            backend.install(editor, spec)
    try:
        with connection.cursor() as cursor:
            start = time.perf_counter()
            cursor.execute(f"UPDATE {TABLE} SET actor_id = NULL WHERE actor_id = 1")
            elapsed = time.perf_counter() - start
            assert cursor.rowcount == rows
    finally:
        if with_triggers:
            with connection.schema_editor() as editor:
                backend.uninstall(editor, spec)
    return elapsed


if __name__ == "__main__":
    main()
