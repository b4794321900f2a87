"""Insert rate of 100,000 rows keyed by UUIDv7 vs UUIDv4 on PostgreSQL, printed as a ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/uuid_insert.py

Each round creates two fresh tables, identical but for the key generator
(``django_basemodels.ids.uuid7`` or ``uuid.uuid4``), and fills both at once: batch by batch, a v7
batch and a v4 batch take turns (the first of the pair alternates), each written with COPY and
committed. Interleaving this finely means both see the same server load, which matters on a
shared machine. Only the database work is timed (keys are generated beforehand). The ratio is
of the median rates over the rounds. Options: --rows, --rounds, --batch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import psycopg

from django_basemodels.ids import uuid7

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
GENERATORS = {"v7": uuid7, "v4": uuid.uuid4}
PAYLOAD = "x" * 40


def create_table(conn: psycopg.Connection, table: str) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(
        f"CREATE TABLE {table} (id uuid PRIMARY KEY, "
        "created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
    )
    conn.commit()


def copy_batch(conn: psycopg.Connection, table: str, keys: list[uuid.UUID]) -> float:
    """Write one batch with COPY and commit it; returns the seconds it took."""
    started = time.perf_counter()
    with conn.cursor() as cur, cur.copy(f"COPY {table} (id, payload) FROM STDIN") as copy:
        for key in keys:
            copy.write_row((key, PAYLOAD))
    conn.commit()
    return time.perf_counter() - started


def index_pages(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(
        "SELECT pg_relation_size(%s) / current_setting('block_size')::int", [f"{table}_pkey"]
    ).fetchone()
    return row[0]


def run_round(conn: psycopg.Connection, rows: int, batch: int) -> tuple[dict, dict]:
    seconds = dict.fromkeys(GENERATORS, 0.0)
    for name in GENERATORS:
        create_table(conn, f"bench_uuid_{name}")
    for number, start in enumerate(range(0, rows, batch)):
        size = min(batch, rows - start)
        order = list(GENERATORS) if number % 2 == 0 else list(reversed(GENERATORS))
        for name in order:
            keys = [GENERATORS[name]() for _ in range(size)]
            seconds[name] += copy_batch(conn, f"bench_uuid_{name}", keys)
    rates = {name: rows / seconds[name] for name in GENERATORS}
    pages = {name: index_pages(conn, f"bench_uuid_{name}") for name in GENERATORS}
    return rates, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    rates: dict[str, list[float]] = {name: [] for name in GENERATORS}
    with psycopg.connect(os.environ.get("DATABASE_URL", DEFAULT_URL)) as conn:
        for round_ in range(args.rounds):
            round_rates, pages = run_round(conn, args.rows, args.batch)
            for name, rate in round_rates.items():
                rates[name].append(rate)
            print(
                f"round {round_ + 1}: v7 {round_rates['v7']:,.0f} rows/s, "
                f"v4 {round_rates['v4']:,.0f} rows/s"
            )
        for name in GENERATORS:
            conn.execute(f"DROP TABLE IF EXISTS bench_uuid_{name}")
        conn.commit()
    v7, v4 = (statistics.median(rates[name]) for name in ("v7", "v4"))
    print(f"\n{args.rows:,} rows per table, {args.rounds} rounds, median insert rate:")
    print(f"  UUIDv7 key: {v7:,.0f} rows/s; primary key index {pages['v7']:,} pages")
    print(f"  UUIDv4 key: {v4:,.0f} rows/s; primary key index {pages['v4']:,} pages")
    print(f"  insert rate ratio v7/v4: {v7 / v4:.2f}x")
    print(f"  index size ratio v4/v7: {pages['v4'] / pages['v7']:.2f}x")


if __name__ == "__main__":
    main()
