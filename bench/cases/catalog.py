"""django-catalog: commit_basket() with 1 / 10 / 100 items against a naive spawn.

The naive spawn takes the same lock and does the same checks but writes one
``WorkItem.objects.create()`` per item: the queries of commit_basket() must stay flat while
the naive ones grow with the basket. On SQLite Django splits one INSERT into batches of 999
parameters (about 55 work items), so 100 items cost one query more there.
"""

from __future__ import annotations

from benchapp.models import Visit
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from django_catalog.models import Basket, BasketItem, CatalogItem, WorkItem
from django_catalog.services import commit_basket, get_or_create_draft_basket

PACKAGE = "django-catalog"


def naive_commit(basket, user):
    """What commit_basket() would cost with one INSERT per item (same lock, same checks).

    The basket is committed first: work items are accepted only for a committed basket's items.
    """
    with transaction.atomic():
        locked = Basket.objects.select_for_update().get(pk=basket.pk)
        locked.status, locked.committed_by, locked.committed_at = "committed", user, timezone.now()
        locked.save(update_fields=["status", "committed_by", "committed_at", "updated_at"])
        return [
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


def run(bench) -> None:
    user = get_user_model().objects.create_user(username="catalog-bench")
    catalog_items = [
        CatalogItem.objects.create(kind="service", service_category="lab", display_name="CBC"),
        CatalogItem.objects.create(kind="stock_item", display_name="Amoxicillin"),
    ]

    def side(commit, size):
        def prepare():
            basket = get_or_create_draft_basket(Visit.objects.create(), user)
            BasketItem.objects.bulk_create(
                [
                    BasketItem(basket=basket, catalog_item=catalog_items[i % 2], added_by=user)
                    for i in range(size)
                ]
            )
            return lambda: commit(basket, user)

        return prepare

    rounds = bench.sizes.pick(15, 1)
    for size in (1, 10, 100):
        bench.pair(
            f"commit_basket() {size} item{'s' if size > 1 else ''}",
            "naive spawn",
            side(commit_basket, size),
            side(naive_commit, size),
            rounds=rounds,
        )
