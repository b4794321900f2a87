import re

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext

from django_catalog.exceptions import (
    BasketDeletedError,
    BasketNotDraftError,
    InactiveCatalogItemError,
    InvalidQuantityError,
    InvalidStatusTransitionError,
    RefusedOperationError,
)
from django_catalog.models import Basket, BasketItem, CatalogSettings
from django_catalog.services import cancel_basket, commit_basket, get_or_create_draft_basket
from tests.testapp.models import Encounter

pytestmark = pytest.mark.django_db


# Basket


def test_one_live_draft_per_encounter_is_a_database_constraint(basket, encounter, user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Basket.objects.create(encounter=encounter, created_by=user)


def test_the_draft_constraint_ignores_deleted_and_closed_baskets(basket, encounter, user):
    basket.delete()
    second = Basket.objects.create(encounter=encounter, created_by=user)
    cancel_basket(second, user)
    third = Basket.objects.create(encounter=encounter, created_by=user)
    assert Basket.all_objects.filter(encounter=encounter).count() == 3
    assert list(Basket.objects.drafts()) == [third]


def test_new_baskets_start_as_drafts(encounter, user):
    with pytest.raises(InvalidStatusTransitionError, match="cannot start as 'committed'"):
        Basket.objects.create(encounter=encounter, created_by=user, status="committed")
    assert not Basket.all_objects.exists()


def test_basket_status_cannot_leave_committed_through_save(filled_basket, user):
    commit_basket(filled_basket, user)
    basket = Basket.objects.get(pk=filled_basket.pk)
    basket.status = "draft"
    with pytest.raises(InvalidStatusTransitionError, match="from 'committed' to 'draft'"):
        basket.save()
    assert Basket.objects.get(pk=basket.pk).status == "committed"


def test_basket_status_is_not_changed_by_queryset_update(basket):
    with pytest.raises(RefusedOperationError, match="use commit_basket"):
        Basket.objects.filter(pk=basket.pk).update(status="committed")
    basket.status = "cancelled"
    with pytest.raises(RefusedOperationError):
        Basket.objects.bulk_update([basket], ["status"])
    assert Basket.objects.get(pk=basket.pk).status == "draft"


def test_committed_basket_needs_committed_at_in_the_database(basket):
    with pytest.raises(IntegrityError), transaction.atomic():
        # Django's own QuerySet.update, as code that bypasses the package's guard would call it
        models.QuerySet.update(Basket.objects.filter(pk=basket.pk), status="committed")


# BasketItem


def test_basket_item_takes_a_snapshot_when_added(basket, lab_test, user):
    item = BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)
    assert (item.quantity, item.display_name, item.board, item.routing_rule) == (
        1,
        "Blood Test",
        "lab",
        "category",
    )
    lab_test.display_name = "Renamed"
    lab_test.save()
    item.notes = "edited"
    item.save()
    assert BasketItem.objects.get(pk=item.pk).display_name == "Blood Test"


@pytest.mark.parametrize("close", [commit_basket, cancel_basket])
def test_items_cannot_be_added_to_a_closed_basket(filled_basket, lab_test, user, close):
    close(filled_basket, user)
    status = filled_basket.status
    with pytest.raises(BasketNotDraftError, match=f"is '{status}'; expected 'draft'"):
        BasketItem.objects.create(basket=filled_basket, catalog_item=lab_test, added_by=user)
    with pytest.raises(BasketNotDraftError):
        BasketItem.objects.bulk_create(
            [BasketItem(basket=filled_basket, catalog_item=lab_test, added_by=user)]
        )
    assert BasketItem.objects.count() == 2


def test_the_basket_status_is_read_from_the_database_not_the_object(filled_basket, lab_test, user):
    stale = Basket.objects.get(pk=filled_basket.pk)
    commit_basket(filled_basket, user)
    with pytest.raises(BasketNotDraftError):
        BasketItem.objects.create(basket=stale, catalog_item=lab_test, added_by=user)


def test_items_cannot_be_added_to_a_deleted_basket(basket, lab_test, user):
    basket.delete()
    with pytest.raises(BasketDeletedError, match="is deleted"):
        BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)


def test_items_of_a_closed_basket_cannot_change(filled_basket, user):
    commit_basket(filled_basket, user)
    item = filled_basket.items.first()
    item.quantity = 9
    with pytest.raises(BasketNotDraftError):
        item.save()
    with pytest.raises(BasketNotDraftError):
        item.delete()
    with pytest.raises(BasketNotDraftError):
        item.hard_delete()
    items = BasketItem.objects.filter(basket=filled_basket)
    with pytest.raises(BasketNotDraftError):
        items.update(quantity=9)
    with pytest.raises(BasketNotDraftError):
        items.delete()
    with pytest.raises(BasketNotDraftError):
        items.hard_delete()
    with pytest.raises(BasketNotDraftError):
        BasketItem.objects.bulk_update([item], ["quantity"])
    assert sorted(items.values_list("quantity", flat=True)) == [1, 3]


def test_items_of_a_draft_basket_can_change(filled_basket):
    items = BasketItem.objects.filter(basket=filled_basket)
    assert items.update(notes="checked") == 2
    first = items.first()
    first.quantity = 4
    first.save()
    assert BasketItem.objects.get(pk=first.pk).quantity == 4
    first.delete()
    assert items.count() == 1


@pytest.mark.parametrize("quantity", [0, -2, 1.5, "1", None, True])
def test_bad_quantities_are_refused(basket, lab_test, user, quantity):
    with pytest.raises(InvalidQuantityError, match=re.escape(f"quantity {quantity!r} is invalid")):
        BasketItem.objects.create(
            basket=basket, catalog_item=lab_test, added_by=user, quantity=quantity
        )
    with pytest.raises(InvalidQuantityError):
        BasketItem.objects.bulk_create(
            [BasketItem(basket=basket, catalog_item=lab_test, added_by=user, quantity=quantity)]
        )
    assert not BasketItem.objects.exists()


def test_quantity_above_zero_is_a_database_constraint(filled_basket):
    items = BasketItem.objects.filter(basket=filled_basket)
    with pytest.raises(InvalidQuantityError):  # the package's own update() says it first
        items.update(quantity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        # Django's own QuerySet.update, as code that bypasses the package's guard would call it
        models.QuerySet.update(items, quantity=0)
    assert sorted(items.values_list("quantity", flat=True)) == [1, 3]


def test_inactive_items_are_refused_unless_the_settings_allow_them(basket, lab_test, user):
    lab_test.active = False
    lab_test.save()
    with pytest.raises(InactiveCatalogItemError, match=r"'Blood Test' .* is inactive"):
        BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)
    assert not BasketItem.objects.exists()
    catalog_settings = CatalogSettings.get_instance()
    catalog_settings.allow_inactive_items = True
    catalog_settings.save()
    BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)
    assert BasketItem.objects.count() == 1


def test_bulk_create_validates_and_snapshots_every_item(basket, lab_test, medication, user):
    medication.active = False
    medication.save()
    with pytest.raises(InactiveCatalogItemError):
        BasketItem.objects.bulk_create(
            [
                BasketItem(basket=basket, catalog_item=lab_test, added_by=user),
                BasketItem(basket=basket, catalog_item=medication, added_by=user),
            ]
        )
    assert not BasketItem.objects.exists()
    created = BasketItem.objects.bulk_create(
        [BasketItem(basket=basket, catalog_item=lab_test, added_by=user, quantity=2)]
    )
    assert [(item.display_name, item.board) for item in created] == [("Blood Test", "lab")]
    assert BasketItem.objects.get().board == "lab"


def test_committed_baskets_are_not_deleted(filled_basket, user):
    commit_basket(filled_basket, user)
    with pytest.raises(RefusedOperationError, match="is committed and its work items exist"):
        filled_basket.delete()
    with pytest.raises(RefusedOperationError):
        Basket.objects.filter(pk=filled_basket.pk).delete()
    assert Basket.objects.filter(pk=filled_basket.pk).exists()
    assert BasketItem.objects.filter(basket=filled_basket).count() == 2


def test_draft_and_cancelled_baskets_are_deleted_with_their_items(filled_basket, user):
    filled_basket.delete()
    assert not BasketItem.objects.filter(basket=filled_basket).exists()
    assert BasketItem.all_objects.filter(basket=filled_basket).count() == 2


def test_items_deleted_from_a_draft_are_not_restored_after_commit(filled_basket, user):
    removed = filled_basket.items.first()
    removed.delete()
    commit_basket(filled_basket, user)
    with pytest.raises(BasketNotDraftError):
        removed.restore()
    with pytest.raises(BasketNotDraftError):
        BasketItem.deleted_objects.filter(pk=removed.pk).restore()
    assert BasketItem.objects.filter(basket=filled_basket).count() == 1


def test_items_cannot_be_moved_into_a_closed_basket(filled_basket, user):
    other = get_or_create_draft_basket(Encounter.objects.create(), user)
    BasketItem.objects.create(
        basket=other, catalog_item=filled_basket.items.first().catalog_item, added_by=user
    )
    commit_basket(filled_basket, user)
    movable = BasketItem.objects.filter(basket=other)
    with pytest.raises(BasketNotDraftError):
        movable.update(basket=filled_basket)
    item = movable.get()
    item.basket = filled_basket
    with pytest.raises(BasketNotDraftError):
        BasketItem.objects.bulk_update([item], ["basket"])
    assert BasketItem.objects.filter(basket=filled_basket).count() == 2


def test_items_cannot_be_moved_out_of_a_closed_basket(filled_basket, user):
    commit_basket(filled_basket, user)
    item = filled_basket.items.first()
    item.basket = get_or_create_draft_basket(Encounter.objects.create(), user)
    with pytest.raises(BasketNotDraftError):
        item.save()
    assert BasketItem.objects.filter(basket=filled_basket).count() == 2


def test_bulk_create_by_catalog_item_id_reads_the_catalog_in_one_query(
    basket, lab_test, medication, user
):
    """Items given by id: one catalog read for the whole batch, whatever its size."""

    def queries_for(count):
        items = [
            BasketItem(basket=basket, catalog_item_id=pk, added_by=user)
            for pk in [lab_test.pk, medication.pk] * count
        ]
        with CaptureQueriesContext(connection) as captured:
            created = BasketItem.objects.bulk_create(items)
        names = [item.display_name for item in created]
        assert names == ["Blood Test", "Amoxicillin 250 mg"] * count
        return len(captured)

    assert queries_for(1) == queries_for(5)
    assert BasketItem.objects.filter(board="lab").count() == 6
