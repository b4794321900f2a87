"""Tracked saves against plain ones: 2,000 creates + 2,000 updates of a six-field model on
PostgreSQL in autocommit, plain save() against AuditTrackedModel and django-pghistory.

Rounds are interleaved (plain, tracked, pghistory, plain, ...) so that a noisy neighbour hurts
every variant alike; the figure per variant is the median round. Needs django-pghistory (see
requirements.txt) and a PostgreSQL server:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        python bench/save_ratio.py [--rows 2000] [--rounds 5] [--sync on|off] [--strip] [--profile]

Besides wall time it reports CPU time per operation, which a busy machine disturbs far less:
this process's (Django, the driver, the package) and, when the server runs on this machine,
its backend process's (/proc/<pid>/schedstat).

--strip then measures the tracked save again after dropping, in the scratch database, the audit
table's foreign keys and then its secondary indexes: what each costs per entry.
--profile runs cProfile over the tracked creates and updates instead and prints the top entries.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
SCRATCH = "bench_audit_log_save_ratio"


def configure(url: str, sync: str) -> None:
    import dj_database_url
    import django
    from django.conf import settings

    database = dj_database_url.parse(url)
    database["NAME"] = SCRATCH
    database["OPTIONS"] = {"options": f"-c synchronous_commit={sync}"}
    settings.configure(
        SECRET_KEY="bench",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        DATABASES={"default": database},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django_basemodels",
            "django_audit_log",
            "pgtrigger",
            "pghistory",
            "perfapp",
        ],
    )
    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    server = dict(__import__("dj_database_url").parse(url))
    with psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}"')
        connection.execute(f'CREATE DATABASE "{SCRATCH}"')


def build_schema() -> None:
    import pgtrigger
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, run_syncdb=True)
    with connection.schema_editor() as editor:
        existing = set(connection.introspection.table_names())
        for model in apps.get_app_config("perfapp").get_models():
            if model._meta.db_table not in existing:
                editor.create_model(model)
    pgtrigger.install()


def create(model, i):
    return model.objects.create(
        number=f"N-{i}",
        customer="ACME",
        amount=decimal.Decimal("10.00"),
        issued_on=datetime.date(2025, 1, 1),
        note="",
    )


def update(obj, i):
    obj.amount = decimal.Decimal(i)
    obj.note = f"changed {i}"
    obj.save()


def backend_cpu_reader():
    """Seconds of CPU the server's backend for our connection has used, or None if unknown."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    if not path.exists():
        return lambda: 0.0
    return lambda: int(path.read_text().split()[0]) / 1e9


def one_round(model, rows, server_cpu=lambda: 0.0):
    """(wall, client CPU, server CPU) of the creates, then of the updates."""

    def clocks():
        return time.perf_counter(), time.process_time(), server_cpu()

    start = clocks()
    objs = [create(model, i) for i in range(rows)]
    created = clocks()
    for i, obj in enumerate(objs):
        update(obj, i + 1)
    updated = clocks()
    return (
        tuple(b - a for a, b in zip(start, created, strict=True)),
        tuple(b - a for a, b in zip(created, updated, strict=True)),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    # "on" is PostgreSQL's default; "off" takes the disk flush out, leaving the code's cost.
    parser.add_argument("--sync", choices=["on", "off"], default="on")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--strip", action="store_true", help="then without FKs and indexes")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    recreate_database(url)
    configure(url, options.sync)
    build_schema()
    from perfapp.models import Pgh, Plain, Tracked

    variants = {"plain save()": Plain, "AuditTrackedModel": Tracked, "django-pghistory": Pgh}
    for model in variants.values():  # warm caches (content types, compiled statements)
        one_round(model, 50)
    if options.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(one_round, Tracked, options.rows)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    server_cpu = backend_cpu_reader()
    print(
        f"{options.rows} creates + {options.rows} updates, {options.rounds} interleaved rounds, "
        f"synchronous_commit={options.sync}; median round; microseconds per operation "
        "(wall, then CPU: this process + the server's backend) and ratios to plain save()"
    )
    report(measure(variants, options, server_cpu), options.rows)
    if options.strip:
        # What the audit table's constraints cost each entry (scratch database only).
        for label, statements in (("without FKs", STRIP_FKS), ("and 2ndary indexes", STRIP_IDX)):
            drop(statements)
            tracked = {"plain save()": Plain, f"tracked {label}": Tracked}
            report(measure(tracked, options, server_cpu), options.rows)


STRIP_FKS = """SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', conrelid::regclass, conname)
FROM pg_constraint WHERE conrelid = 'django_audit_log_auditlog'::regclass AND contype = 'f'"""
STRIP_IDX = """SELECT format('DROP INDEX %I', indexname) FROM pg_indexes
WHERE tablename = 'django_audit_log_auditlog' AND indexname NOT LIKE '%pkey'"""


def drop(query: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query)
        for (statement,) in cursor.fetchall():
            cursor.execute(statement)


def measure(variants, options, server_cpu):
    """Median (wall, client CPU, server CPU) per variant, for the creates and the updates."""
    times = {name: ([], []) for name in variants}
    for _ in range(options.rounds):
        for name, model in variants.items():
            created, updated = one_round(model, options.rows, server_cpu)
            times[name][0].append(created)
            times[name][1].append(updated)
    return {
        name: [[statistics.median(r[k] for r in rounds) for k in range(3)] for rounds in pair]
        for name, pair in times.items()
    }


def report(medians, rows) -> None:
    base = medians["plain save()"]
    for phase, label in ((0, "create"), (1, "update")):
        for name, phases in medians.items():
            wall, client, server = (value / rows * 1e6 for value in phases[phase])
            plain_wall, plain_client, plain_server = base[phase]
            ratio_wall = phases[phase][0] / plain_wall
            ratio_cpu = sum(phases[phase][1:]) / (plain_client + plain_server)
            print(
                f"{label} {name:<28} wall {wall:6.0f} {ratio_wall:5.2f}x | "
                f"cpu {client:5.0f} + {server:5.0f} = {client + server:5.0f} {ratio_cpu:5.2f}x"
            )


if __name__ == "__main__":
    main()
