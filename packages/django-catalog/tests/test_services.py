import re

import pytest

from django_catalog.exceptions import (
    BasketCancelledError,
    BasketDeletedError,
    BasketNotDraftError,
    CatalogError,
    EmptyBasketError,
    InvalidEncounterError,
    InvalidQuantityError,
    InvalidStatusTransitionError,
    NotDispensableError,
    OverDispenseError,
)
from django_catalog.models import Basket, BasketItem, DispenseLog, WorkItem
from django_catalog.query import BasketQuerySet
from django_catalog.services import (
    add_item,
    cancel_basket,
    commit_basket,
    dispense,
    dispensed_quantity,
    get_or_create_draft_basket,
    update_work_item_status,
)
from tests.testapp.models import Encounter, Patient

pytestmark = pytest.mark.django_db


# get_or_create_draft_basket


def test_draft_basket_is_created_once_per_encounter(encounter, user, other_user):
    basket = get_or_create_draft_basket(encounter, user)
    assert basket.status == "draft"
    assert basket.created_by == user
    assert get_or_create_draft_basket(encounter, other_user) == basket
    assert Basket.objects.filter(encounter=encounter).count() == 1


def test_a_new_draft_follows_a_committed_basket(filled_basket, encounter, user):
    commit_basket(filled_basket, user)
    fresh = get_or_create_draft_basket(encounter, user)
    assert fresh != filled_basket
    assert fresh.status == "draft"


def test_a_deleted_draft_is_not_reused(basket, encounter, user):
    basket.delete()
    assert get_or_create_draft_basket(encounter, user) != basket


def test_losing_the_draft_race_reads_the_winners_draft(basket, encounter, user, monkeypatch):
    """The first read misses the draft another caller just created; the insert then fails."""
    real_drafts = BasketQuerySet.drafts
    calls = []

    def drafts(queryset):
        calls.append(1)
        return queryset.none() if len(calls) == 1 else real_drafts(queryset)

    monkeypatch.setattr(BasketQuerySet, "drafts", drafts)
    assert get_or_create_draft_basket(encounter, user) == basket
    assert len(calls) == 2
    assert Basket.objects.filter(encounter=encounter).count() == 1


def test_a_draft_that_never_settles_is_a_catalog_error(basket, encounter, user, monkeypatch):
    monkeypatch.setattr(BasketQuerySet, "drafts", lambda queryset: queryset.none())
    with pytest.raises(CatalogError, match="after 5 attempts"):
        get_or_create_draft_basket(encounter, user)
    assert Basket.objects.filter(encounter=encounter).count() == 1


def test_draft_basket_needs_an_encounter_instance(user):
    with pytest.raises(InvalidEncounterError, match=r"expected an instance of testapp\.Encounter"):
        get_or_create_draft_basket(Patient.objects.create(), user)
    with pytest.raises(InvalidEncounterError):
        get_or_create_draft_basket(Encounter(), user)  # unsaved
    assert not Basket.all_objects.exists()


# add_item


def test_add_item_is_basket_item_create(basket, lab_test, user):
    item = add_item(basket, lab_test, user, quantity=2, notes="fasting")
    assert (item.quantity, item.notes, item.added_by) == (2, "fasting", user)
    assert list(basket.items.all()) == [item]


# commit_basket


def test_commit_spawns_one_routed_work_item_per_item(filled_basket, user):
    work_items = commit_basket(filled_basket, user)
    assert [(w.display_name, w.board, w.routing_rule, w.kind, w.quantity) for w in work_items] == [
        ("Blood Test", "lab", "category", "service", 1),
        ("Amoxicillin 250 mg", "pharmacy", "route:stock_item", "stock_item", 3),
    ]
    assert all(w.status == "pending" for w in work_items)
    assert [w.basket_item for w in work_items] == list(filled_basket.items.all())


def test_commit_marks_the_basket_committed_in_place_and_in_the_database(filled_basket, user):
    commit_basket(filled_basket, user)
    assert filled_basket.status == "committed"
    assert filled_basket.committed_by == user
    assert filled_basket.committed_at is not None
    stored = Basket.objects.get(pk=filled_basket.pk)
    assert (stored.status, stored.committed_by, stored.committed_at) == (
        "committed",
        user,
        filled_basket.committed_at,
    )


def test_commit_again_returns_the_same_work_items_and_creates_nothing(
    filled_basket, user, other_user
):
    first = commit_basket(filled_basket, user)
    stale_copy = Basket.objects.get(pk=filled_basket.pk)
    second = commit_basket(stale_copy, other_user)
    assert [w.pk for w in second] == [w.pk for w in first]
    assert WorkItem.objects.count() == 2
    assert Basket.objects.get(pk=filled_basket.pk).committed_by == user


def test_commit_of_a_stale_draft_object_sees_the_committed_row(filled_basket, user):
    stale = Basket.objects.get(pk=filled_basket.pk)
    first = commit_basket(filled_basket, user)
    assert stale.status == "draft"
    assert commit_basket(stale, user) == first
    assert stale.status == "committed"


def test_routing_is_stored_at_spawn_and_kept(filled_basket, user, lab_test, settings):
    work_items = commit_basket(filled_basket, user)
    lab_test.board = "outside-lab"
    lab_test.save()
    settings.CATALOG_BOARD_ROUTES = {"stock_item": "dispensary"}
    assert [w.board for w in commit_basket(filled_basket, user)] == ["lab", "pharmacy"]
    assert [w.board for w in WorkItem.objects.filter(pk__in=[w.pk for w in work_items])] == [
        "lab",
        "pharmacy",
    ]


def test_deleted_items_are_not_spawned(filled_basket, user):
    filled_basket.items.filter(catalog_item__kind="service").delete()
    assert [w.display_name for w in commit_basket(filled_basket, user)] == ["Amoxicillin 250 mg"]


def test_cancelled_basket_cannot_be_committed(filled_basket, user):
    cancel_basket(filled_basket, user)
    with pytest.raises(BasketCancelledError, match="is 'cancelled'; expected 'draft'"):
        commit_basket(filled_basket, user)
    assert not WorkItem.objects.exists()


def test_empty_basket_cannot_be_committed(basket, user):
    with pytest.raises(EmptyBasketError, match="has no items"):
        commit_basket(basket, user)
    basket.refresh_from_db()
    assert basket.status == "draft"


def test_deleted_basket_cannot_be_committed(filled_basket, user):
    filled_basket.delete()
    with pytest.raises(BasketDeletedError):
        commit_basket(filled_basket, user)
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize("size", [1, 50])
def test_commit_query_count_does_not_grow_with_items(
    size, make_basket, user, django_assert_num_queries
):
    basket = make_basket(size)
    # savepoint, lock the basket, read items, insert work items, update basket, release
    with django_assert_num_queries(6):
        assert len(commit_basket(basket, user)) == size
    # an idempotent repeat: savepoint, lock, read work items, release
    with django_assert_num_queries(4):
        assert len(commit_basket(basket, user)) == size


def test_commit_rolls_back_when_a_receiver_fails(filled_basket, user):
    from django_catalog.signals import basket_committed

    def explode(**kwargs):
        raise RuntimeError("receiver failed")

    basket_committed.connect(explode)
    try:
        with pytest.raises(RuntimeError):
            commit_basket(filled_basket, user)
    finally:
        basket_committed.disconnect(explode)
    assert not WorkItem.objects.exists()
    assert Basket.objects.get(pk=filled_basket.pk).status == "draft"


# cancel_basket


def test_cancel_basket(basket, user):
    cancel_basket(basket, user)
    stored = Basket.objects.get(pk=basket.pk)
    assert (stored.status, stored.cancelled_by) == ("cancelled", user)
    assert stored.cancelled_at is not None
    assert basket.status == "cancelled"


def test_only_drafts_can_be_cancelled(filled_basket, user):
    commit_basket(filled_basket, user)
    with pytest.raises(BasketNotDraftError, match="is 'committed'; expected 'draft'"):
        cancel_basket(filled_basket, user)
    assert Basket.objects.get(pk=filled_basket.pk).status == "committed"


# update_work_item_status


@pytest.fixture
def lab_work(filled_basket, user):
    return commit_basket(filled_basket, user)[0]


@pytest.fixture
def med_work(filled_basket, user):
    return commit_basket(filled_basket, user)[1]


def test_work_item_moves_to_completed_with_timestamps(lab_work, other_user):
    update_work_item_status(lab_work, "in_progress", other_user)
    assert lab_work.status == "in_progress"
    assert lab_work.started_at is not None
    update_work_item_status(lab_work, "completed", other_user)
    stored = WorkItem.objects.get(pk=lab_work.pk)
    assert (stored.status, stored.status_changed_by) == ("completed", other_user)
    assert stored.started_at <= stored.completed_at
    assert stored.cancelled_at is None


@pytest.mark.parametrize("path", [["cancelled"], ["in_progress", "cancelled"]])
def test_open_work_items_can_be_cancelled(lab_work, user, path):
    for status in path:
        update_work_item_status(lab_work, status, user)
    stored = WorkItem.objects.get(pk=lab_work.pk)
    assert stored.status == "cancelled"
    assert stored.cancelled_at is not None


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([], "completed"),  # pending cannot skip in_progress
        ([], "pending"),
        (["in_progress"], "pending"),
        (["in_progress", "completed"], "cancelled"),
        (["in_progress", "completed"], "in_progress"),
        (["cancelled"], "in_progress"),
        ([], "archived"),
    ],
)
def test_disallowed_moves_are_refused(lab_work, user, path, bad):
    for status in path:
        update_work_item_status(lab_work, status, user)
    before = WorkItem.objects.get(pk=lab_work.pk)
    with pytest.raises(InvalidStatusTransitionError, match=f"to '{bad}'; expected"):
        update_work_item_status(lab_work, bad, user)
    assert WorkItem.objects.get(pk=lab_work.pk).status == before.status


def test_status_move_is_checked_against_the_database_not_a_stale_object(lab_work, user):
    stale = WorkItem.objects.get(pk=lab_work.pk)
    update_work_item_status(lab_work, "cancelled", user)
    with pytest.raises(InvalidStatusTransitionError, match="from 'cancelled'"):
        update_work_item_status(stale, "in_progress", user)


# dispense


def test_dispense_records_an_entry(med_work, other_user):
    entry = dispense(med_work, other_user, quantity=2, notes="with food")
    assert (entry.work_item, entry.quantity, entry.dispensed_by) == (med_work, 2, other_user)
    assert list(DispenseLog.objects.all()) == [entry]
    assert dispensed_quantity(med_work) == 2


def test_dispense_never_exceeds_the_ordered_quantity(med_work, user):
    dispense(med_work, user, quantity=2)
    with pytest.raises(OverDispenseError, match=r"dispensing 2 .* expected at most 1"):
        dispense(med_work, user, quantity=2)
    dispense(med_work, user, quantity=1)
    assert dispensed_quantity(med_work) == 3


def test_services_are_not_dispensed(lab_work, user):
    with pytest.raises(NotDispensableError, match="is a 'service'"):
        dispense(lab_work, user)
    assert not DispenseLog.objects.exists()


@pytest.mark.parametrize("path", [["cancelled"], ["in_progress", "completed"]])
def test_closed_work_items_are_not_dispensed(med_work, user, path):
    for status in path:
        update_work_item_status(med_work, status, user)
    with pytest.raises(NotDispensableError, match=f"in status '{path[-1]}'"):
        dispense(med_work, user)
    assert not DispenseLog.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True, None])
def test_dispense_refuses_bad_quantities(med_work, user, quantity):
    with pytest.raises(InvalidQuantityError, match=re.escape(f"quantity {quantity!r} is invalid")):
        dispense(med_work, user, quantity=quantity)
    assert not DispenseLog.objects.exists()


def test_basket_items_of_a_committed_basket_stay_put(filled_basket, user, lab_test):
    commit_basket(filled_basket, user)
    with pytest.raises(BasketNotDraftError):
        add_item(filled_basket, lab_test, user)
    assert BasketItem.objects.filter(basket=filled_basket).count() == 2
