"""Benchmark: what change tracking costs per save, against peers, in one run.

    cd packages/django-audit-log
    pip install -r bench/requirements.txt     # into a virtualenv with this package installed
    python bench/tracked_save.py [--rows 2000] [--rounds 3]

PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; a scratch
database bench_audit_log is created and dropped), autocommit, a six-field model: ``rows``
creates then ``rows`` updates (two fields changed) through ``save()``, for a plain model, an
``AuditTrackedModel`` (entry with the diff), django-auditlog and django-pghistory (triggers).
Each variant runs ``rounds`` times, interleaved; the best round counts. Ratios are to plain.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from benchapp.models import AuditlogItem, PghistoryItem, PlainItem, TrackedItem  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

VARIANTS = {
    "plain save": PlainItem,
    "django-audit-log": TrackedItem,
    "django-auditlog": AuditlogItem,
    "django-pghistory": PghistoryItem,
}


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


def timed(model, rows):
    start = time.perf_counter()
    objs = [create(model, i) for i in range(rows)]
    created = time.perf_counter() - start
    start = time.perf_counter()
    for i, obj in enumerate(objs):
        update(obj, i)
    return created, time.perf_counter() - start


def queries_per_save(model):
    obj = create(model, -1)
    with CaptureQueriesContext(connection) as on_create:
        obj = create(model, -2)
    with CaptureQueriesContext(connection) as on_update:
        update(obj, -2)
    return len(on_create), len(on_update)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        assert connection.get_autocommit(), "the benchmark measures autocommit"
        for model in VARIANTS.values():  # warm caches (content types, prepared state)
            timed(model, 20)
        best = {name: [float("inf"), float("inf")] for name in VARIANTS}
        for _ in range(args.rounds):
            for name, model in VARIANTS.items():
                created, updated = timed(model, args.rows)
                best[name][0] = min(best[name][0], created)
                best[name][1] = min(best[name][1], updated)
        queries = {name: queries_per_save(model) for name, model in VARIANTS.items()}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    base_create, base_update = best["plain save"]
    print(
        f"PostgreSQL, autocommit, {args.rows} creates + {args.rows} updates, best of {args.rounds}"
    )
    print(f"{'variant':<18} {'create s':>9} {'ratio':>6} {'update s':>9} {'ratio':>6}  queries c/u")
    for name, (created, updated) in best.items():
        print(
            f"{name:<18} {created:9.3f} {created / base_create:5.2f}x {updated:9.3f} "
            f"{updated / base_update:5.2f}x  {queries[name][0]}/{queries[name][1]}"
        )


if __name__ == "__main__":
    main()
