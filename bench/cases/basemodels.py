"""django-basemodels: queryset soft delete and restore against django-safedelete; UUIDv7 keys
against UUIDv4 keys (PostgreSQL only).

Soft delete: ``filter(...).delete()`` and ``.restore()`` on a queryset of ``rows`` rows, a
BaseModel subclass against a SafeDeleteModel subclass with the same field.

Insert rate: two fresh tables identical but for the key generator are filled batch by batch, a
v7 batch and a v4 batch taking turns (the first of the pair alternates), each written with COPY.
Interleaving this finely means both see the same server load. Only the database work is timed
(keys are generated beforehand); the index sizes show why v7 inserts faster.
"""

from __future__ import annotations

import itertools
import statistics
import time
import uuid

from benchapp.models import SafeRow, SoftRow
from django.db import connection

from django_basemodels.ids import uuid7

PACKAGE = "django-basemodels"
GENERATORS = {"v7": uuid7, "v4": uuid.uuid4}
PAYLOAD = "x" * 40
_batches = itertools.count()


def soft_deleting(model, rows):
    def prepare():
        name = f"batch {next(_batches)}"
        model.objects.bulk_create([model(name=name) for _ in range(rows)])
        return lambda: model.objects.filter(name=name).delete()

    return prepare


def restoring(model, rows, restore):
    def prepare():
        name = f"batch {next(_batches)}"
        model.objects.bulk_create([model(name=name) for _ in range(rows)])
        model.objects.filter(name=name).delete()
        return lambda: restore(model.deleted_objects.filter(name=name))

    return prepare


# -------------------------------------------------------------------- UUIDv7 vs UUIDv4 (COPY)
def create_table(cursor, table: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(
        f"CREATE TABLE {table} (id uuid PRIMARY KEY, "
        "created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
    )


def copy_batch(cursor, table: str, keys: list[uuid.UUID]) -> float:
    """Write one batch with COPY (autocommit: one transaction); returns the seconds it took."""
    started = time.perf_counter()
    with cursor.copy(f"COPY {table} (id, payload) FROM STDIN") as copy:
        for key in keys:
            copy.write_row((key, PAYLOAD))
    return time.perf_counter() - started


def index_pages(cursor, table: str) -> int:
    cursor.execute(
        "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [f"{table}_pkey"]
    )
    return cursor.fetchone()[0]


def insert_round(cursor, rows: int, batch: int) -> tuple[dict, dict]:
    seconds = dict.fromkeys(GENERATORS, 0.0)
    for name in GENERATORS:
        create_table(cursor, f"bench_uuid_{name}")
    for number, start in enumerate(range(0, rows, batch)):
        size = min(batch, rows - start)
        order = list(GENERATORS) if number % 2 == 0 else list(reversed(GENERATORS))
        for name in order:
            keys = [GENERATORS[name]() for _ in range(size)]
            seconds[name] += copy_batch(cursor, f"bench_uuid_{name}", keys)
    pages = {name: index_pages(cursor, f"bench_uuid_{name}") for name in GENERATORS}
    for name in GENERATORS:
        cursor.execute(f"DROP TABLE bench_uuid_{name}")
    return seconds, pages


def uuid_insert(bench, rows: int, batch: int = 1000) -> None:
    connection.ensure_connection()
    per_row: dict[str, list[float]] = {name: [] for name in GENERATORS}
    with connection.connection.cursor() as cursor:  # psycopg's own cursor, for COPY
        for _ in range(bench.sizes.rounds):
            seconds, pages = insert_round(cursor, rows, batch)
            for name in GENERATORS:
                per_row[name].append(seconds[name] / rows)
    v7, v4 = (statistics.median(per_row[name]) for name in ("v7", "v4"))
    bench.add(
        f"UUIDv7 key insert (COPY, {rows:,} rows)",
        "UUIDv4 key",
        v7,
        v4,
        None,
        None,
        f"PostgreSQL only; primary key index {pages['v7']:,} vs {pages['v4']:,} pages",
    )


def run(bench) -> None:
    rows = bench.sizes.pick(10_000, 50)
    rounds = bench.sizes.pick(3, 1)  # safedelete writes row by row: long rounds
    size = f"{rows:,} rows"
    bench.pair(
        f"queryset soft delete, {size}",
        "django-safedelete",
        soft_deleting(SoftRow, rows),
        soft_deleting(SafeRow, rows),
        rounds=rounds,
    )
    bench.pair(
        f"queryset restore, {size}",
        "django-safedelete undelete()",
        restoring(SoftRow, rows, lambda qs: qs.restore()),
        restoring(SafeRow, rows, lambda qs: qs.undelete()),
        rounds=rounds,
    )
    if bench.postgresql:
        uuid_insert(bench, bench.sizes.pick(100_000, 2_000))
