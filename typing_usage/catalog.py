"""The public types of django-catalog, as a user's code sees them."""

from typing import Any

from typing_extensions import assert_type

import django_catalog
from django_catalog import (
    Basket,
    BasketItem,
    CatalogError,
    DispenseLog,
    WorkItem,
    add_item,
    cancel_basket,
    commit_basket,
    dispense,
    dispensed_quantity,
    get_or_create_draft_basket,
)


def usage(encounter: Any, user: Any, item: Any) -> None:
    assert_type(django_catalog.__version__, str)
    basket = get_or_create_draft_basket(encounter, user)
    assert_type(basket, Basket)
    assert_type(add_item(basket, item, user), BasketItem)
    work_items = commit_basket(basket, user)
    assert_type(work_items, list[WorkItem])
    assert_type(dispense(work_items[0], user), DispenseLog)
    assert_type(dispensed_quantity(work_items[0]), int)
    assert_type(cancel_basket(basket, user), Basket)
    # The managers keep the model's type through the package's own queryset methods.
    assert_type(Basket.objects.drafts().get(pk=basket.pk), Basket)
    assert_type(Basket.all_objects.first(), Basket | None)
    assert_type(BasketItem.deleted_objects.get(basket=basket), BasketItem)
    assert_type(WorkItem.objects.open().on_board("lab").first(), WorkItem | None)
    error: Exception = CatalogError("x")
    assert_type(error, Exception)
