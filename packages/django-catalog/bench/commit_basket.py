"""Benchmark: commit_basket() with 1, 10 and 100 items: time and queries, in one run.

    cd packages/django-catalog
    pip install -r bench/requirements.txt     # into a virtualenv with this package installed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/commit_basket.py

The database is the one DATABASE_URL names (a scratch database ``bench_catalog`` is created and
dropped), or SQLite in memory without it. For each size, ``rounds`` fresh baskets are committed
and the best time counts. Two things are compared, both measured in this run:

- against commit_basket() with 1 item: the query count must stay flat and the time should grow
  far slower than the number of items;
- against a naive spawn (the same locking, one ``WorkItem.objects.create()`` per item): the ratio
  shows what the single bulk insert saves.

On SQLite Django splits one insert into batches of 999 parameters (about 55 work items), so
100 items cost one query more there; PostgreSQL inserts them in one statement.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from benchapp.models import Encounter  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from django_catalog.models import Basket, BasketItem, CatalogItem, WorkItem  # noqa: E402
from django_catalog.services import commit_basket, get_or_create_draft_basket  # noqa: E402

SIZES = (1, 10, 100)


def naive_commit(basket, user):
    """What commit_basket() would cost with one INSERT per item (same lock, same checks)."""
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        work_items = [
            WorkItem.objects.create(
                basket=locked,
                basket_item=item,
                catalog_item_id=item.catalog_item_id,
                kind=item.catalog_item.kind,
                display_name=item.display_name,
                quantity=item.quantity,
                board=item.board,
                routing_rule=item.routing_rule,
            )
            for item in locked.items.select_related("catalog_item")
        ]
        locked.status, locked.committed_by, locked.committed_at = "committed", user, timezone.now()
        locked.save(update_fields=["status", "committed_by", "committed_at", "updated_at"])
        return work_items


def fresh_basket(size, user, catalog_items):
    basket = get_or_create_draft_basket(Encounter.objects.create(), user)
    BasketItem.objects.bulk_create(
        [
            BasketItem(basket=basket, catalog_item=catalog_items[i % 2], added_by=user)
            for i in range(size)
        ]
    )
    return basket


def measure(commit, size, rounds, user, catalog_items):
    """Best time (seconds) and query count of ``commit`` on ``rounds`` fresh baskets."""
    best, queries = float("inf"), None
    for _ in range(rounds):
        basket = fresh_basket(size, user, catalog_items)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            work_items = commit(basket, user)
            elapsed = time.perf_counter() - start
        assert len(work_items) == size
        best, queries = min(best, elapsed), len(captured)
    return best, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_user(username="bench")
        catalog_items = [
            CatalogItem.objects.create(kind="service", service_category="lab", display_name="CBC"),
            CatalogItem.objects.create(kind="stock_item", display_name="Amoxicillin"),
        ]
        # Warm up connections, caches and the singleton row before measuring.
        measure(commit_basket, 2, 2, user, catalog_items)
        measure(naive_commit, 2, 2, user, catalog_items)

        print(f"database: {connection.vendor}; best of {args.rounds} rounds")
        header = f"{'items':>6} {'queries':>8} {'ms':>8} {'x 1 item':>9}"
        header += f" {'naive q':>8} {'naive ms':>9} {'naive/commit':>13}"
        print(header)
        baseline = None
        for size in SIZES:
            seconds, queries = measure(commit_basket, size, args.rounds, user, catalog_items)
            naive_seconds, naive_queries = measure(
                naive_commit, size, args.rounds, user, catalog_items
            )
            baseline = baseline or seconds
            print(
                f"{size:>6} {queries:>8} {seconds * 1000:>8.2f} {seconds / baseline:>9.2f}"
                f" {naive_queries:>8} {naive_seconds * 1000:>9.2f}"
                f" {naive_seconds / seconds:>13.2f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
