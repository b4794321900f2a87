"""Every write path an attacker would try against the catalog's promises: items change baskets
only between drafts, work items come from a commit only, dispenses stay within the order."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import F, Subquery

from django_catalog.exceptions import (
    BasketNotDraftError,
    InvalidArgumentError,
    OverDispenseError,
    RefusedOperationError,
)
from django_catalog.models import Basket, BasketItem, DispenseLog, WorkItem
from django_catalog.services import (
    commit_basket,
    dispense,
    dispensed_quantity,
    get_or_create_draft_basket,
)
from primitives_testkit import run_concurrently
from tests.testapp.models import Encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(filled_basket, user):
    """A committed basket (a lab test and 3 units of a medication) and its work items."""
    return filled_basket, commit_basket(filled_basket, user)


@pytest.fixture
def draft(user, lab_test):
    """Another encounter's draft, with one item."""
    basket = get_or_create_draft_basket(Encounter.objects.create(label="visit 2"), user)
    BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)
    return basket


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def memberships():
    return sorted(BasketItem.all_objects.values_list("pk", "basket_id"))


def test_update_to_a_subquery_basket_is_refused(committed, draft):
    before = memberships()
    newest_committed = Basket.objects.filter(status="committed").order_by("-created_at")
    with pytest.raises(RefusedOperationError, match="expression for the basket"):
        BasketItem.objects.filter(basket=draft).update(
            basket_id=Subquery(newest_committed.values("pk")[:1])
        )
    assert memberships() == before


def test_update_to_an_f_expression_basket_is_refused(committed, draft):
    before = memberships()
    with pytest.raises(RefusedOperationError):
        BasketItem.objects.filter(basket=draft).update(basket=F("basket"))
    assert memberships() == before


def test_save_and_bulk_update_with_an_expression_basket_are_refused(committed, draft):
    basket, _work = committed
    item = BasketItem.objects.get(basket=draft)
    item.basket_id = Subquery(Basket.objects.filter(pk=basket.pk).values("pk"))
    with pytest.raises(RefusedOperationError):
        item.save()
    with pytest.raises(RefusedOperationError):
        BasketItem.objects.bulk_update([item], ["basket"])
    assert BasketItem.objects.get(pk=item.pk).basket_id == draft.pk


def test_create_with_an_expression_basket_is_refused(committed, lab_test, user):
    basket, _work = committed
    with pytest.raises(RefusedOperationError):
        BasketItem.objects.create(
            basket_id=Subquery(Basket.objects.filter(pk=basket.pk).values("pk")),
            catalog_item=lab_test,
            added_by=user,
        )
    assert BasketItem.objects.filter(basket=basket).count() == 2


@pytest.mark.postgresql
def test_the_database_refuses_moves_into_a_committed_basket(committed, draft):
    basket, _work = committed
    before = memberships()
    with pytest.raises(IntegrityError, match="expected a live draft to take"), transaction.atomic():
        models.QuerySet.update(
            BasketItem.objects.filter(basket=draft),
            basket_id=Subquery(Basket.objects.filter(pk=basket.pk).values("pk")),
        )
    with pytest.raises(IntegrityError, match="expected a live draft to give"), transaction.atomic():
        models.QuerySet.update(BasketItem.objects.filter(basket=basket), basket=draft)
    assert memberships() == before


@pytest.mark.postgresql
def test_the_database_refuses_items_added_to_a_committed_basket(committed, lab_test, user):
    basket, _work = committed
    item = BasketItem(
        basket=basket, catalog_item=lab_test, added_by=user, display_name="x", board="lab"
    )
    with pytest.raises(IntegrityError, match="expected a live draft to take"), transaction.atomic():
        models.QuerySet.bulk_create(BasketItem.objects.all(), [item])
    assert BasketItem.objects.filter(basket=basket).count() == 2


@pytest.mark.postgresql
def test_the_database_refuses_reopening_a_committed_basket(committed):
    basket, _work = committed
    with pytest.raises(IntegrityError, match="cannot move from committed to draft"):
        raw(f"UPDATE {Basket._meta.db_table} SET status = 'draft' WHERE id = %s", [basket.pk])
    assert Basket.objects.get(pk=basket.pk).status == "committed"


@pytest.mark.postgresql
def test_the_database_refuses_restoring_an_item_into_a_committed_basket(filled_basket, user):
    removed = filled_basket.items.first()
    removed.delete()
    commit_basket(filled_basket, user)
    with pytest.raises(IntegrityError, match="cannot come back"):
        raw(
            f"UPDATE {BasketItem._meta.db_table} SET deleted_at = NULL WHERE id = %s",
            [removed.pk],
        )
    assert not BasketItem.objects.filter(pk=removed.pk).exists()


def test_base_manager_bulk_create_of_items_keeps_the_draft_check(committed, lab_test, user):
    basket, _work = committed
    with pytest.raises(BasketNotDraftError):
        BasketItem._base_manager.bulk_create(
            [BasketItem(basket=basket, catalog_item=lab_test, added_by=user)]
        )
    assert BasketItem.objects.filter(basket=basket).count() == 2


def work_item_for(item, **changes):
    fields = {
        "basket_id": item.basket_id,
        "basket_item": item,
        "catalog_item_id": item.catalog_item_id,
        "kind": "service",
        "display_name": item.display_name,
        "quantity": item.quantity,
        "board": item.board,
        "routing_rule": item.routing_rule,
        **changes,
    }
    return fields


def test_work_items_for_a_draft_are_refused_and_the_commit_still_works(filled_basket, user):
    item = filled_basket.items.first()
    with pytest.raises(RefusedOperationError, match="spawned by commit_basket"):
        WorkItem.objects.create(**work_item_for(item))
    with pytest.raises(RefusedOperationError, match="spawned by commit_basket"):
        WorkItem._base_manager.bulk_create([WorkItem(**work_item_for(item))])
    assert not WorkItem.objects.exists()
    assert len(commit_basket(filled_basket, user)) == 2


def test_a_work_item_pointing_at_another_basket_is_refused(committed, draft):
    basket, _work = committed
    with pytest.raises(RefusedOperationError):
        WorkItem.objects.create(**work_item_for(draft.items.get(), basket_id=basket.pk))
    assert WorkItem.objects.count() == 2


@pytest.mark.postgresql
def test_the_database_refuses_work_items_outside_a_commit(filled_basket, committed, draft):
    item = draft.items.get()
    with pytest.raises(IntegrityError, match="spawned by"), transaction.atomic():
        models.QuerySet.bulk_create(WorkItem.objects.all(), [WorkItem(**work_item_for(item))])
    first = WorkItem.objects.first()
    with pytest.raises(IntegrityError, match="re-pointed"):
        raw(
            f"UPDATE {WorkItem._meta.db_table} SET basket_item_id = %s WHERE id = %s",
            [item.pk, first.pk],
        )
    assert WorkItem.objects.count() == 2


def test_base_manager_bulk_create_cannot_over_dispense(committed, user):
    _basket, (_lab, medication) = committed  # 3 ordered
    with pytest.raises(OverDispenseError, match="expected at most 0"):
        DispenseLog._base_manager.bulk_create(
            [DispenseLog(work_item=medication, quantity=1, dispensed_by=user) for _ in range(43)]
        )
    assert dispensed_quantity(medication) == 0


@pytest.mark.postgresql
def test_the_database_refuses_over_dispensing(committed, user):
    _basket, (lab, medication) = committed
    dispense(medication, user, quantity=2)
    entries = [DispenseLog(work_item=medication, quantity=1, dispensed_by=user) for _ in range(2)]
    # The second row of the INSERT sees the first: 2 + 1 given, and one more is too many.
    with (
        pytest.raises(IntegrityError, match=r"exceeds the 3 ordered \(3 dispensed\)"),
        transaction.atomic(),
    ):
        models.QuerySet.bulk_create(DispenseLog.objects.all(), entries)
    with pytest.raises(IntegrityError, match="expected an open stock_item"), transaction.atomic():
        models.QuerySet.bulk_create(
            DispenseLog.objects.all(),
            [DispenseLog(work_item=lab, quantity=1, dispensed_by=user)],
        )
    assert dispensed_quantity(medication) == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_raw_dispenses_stop_at_the_ordered_quantity(filled_basket, user):
    medication = commit_basket(filled_basket, user)[1]  # 3 ordered
    table = DispenseLog._meta.db_table

    def insert(i):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, work_item_id, quantity, dispensed_by_id, "
                "dispensed_at, notes) VALUES (gen_random_uuid(), %s, 1, %s, now(), '')",
                [medication.pk, user.pk],
            )

    run = run_concurrently(insert, threads=8)
    assert len(run.results) == 3
    assert all(isinstance(error, DatabaseError) for error in run.errors)
    assert dispensed_quantity(medication) == 3


def test_a_draft_basket_for_no_user_is_bad_input_at_once(encounter, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidArgumentError, match="user None"):
        get_or_create_draft_basket(encounter, None)
    assert not Basket.all_objects.exists()


def test_a_quantity_beyond_the_column_is_bad_input(basket, lab_test, user):
    with pytest.raises(InvalidArgumentError, match="at most 2147483647"):
        BasketItem.objects.create(
            basket=basket, catalog_item=lab_test, added_by=user, quantity=2**40
        )
    assert not BasketItem.objects.exists()


def test_work_items_are_not_re_pointed_through_the_orm(committed, draft):
    _basket, (lab, _medication) = committed
    item = draft.items.get()
    with pytest.raises(RefusedOperationError, match="basket_item"):
        WorkItem.objects.filter(pk=lab.pk).update(basket_item=item)
    lab.basket_id = draft.pk
    with pytest.raises(RefusedOperationError, match="basket"):
        WorkItem.objects.bulk_update([lab], ["basket"])
    assert WorkItem.objects.get(pk=lab.pk).basket_item_id != item.pk
