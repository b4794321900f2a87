import pytest
from django.db import IntegrityError, transaction

from django_catalog.exceptions import (
    ImmutableRecordError,
    InvalidQuantityError,
    InvalidStatusTransitionError,
    NotDispensableError,
    OverDispenseError,
    RefusedOperationError,
)
from django_catalog.models import DispenseLog, WorkItem
from django_catalog.services import (
    commit_basket,
    dispense,
    dispensed_quantity,
    update_work_item_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_items(filled_basket, user):
    return commit_basket(filled_basket, user)


@pytest.fixture
def entry(work_items, user):
    return dispense(work_items[1], user, quantity=1)


# WorkItem


def test_the_spawn_key_is_unique_in_the_database(work_items):
    first = work_items[0]
    twin = WorkItem(
        basket=first.basket,
        basket_item=first.basket_item,
        catalog_item=first.catalog_item,
        kind=first.kind,
        display_name=first.display_name,
        quantity=1,
        board=first.board,
        routing_rule=first.routing_rule,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.bulk_create([twin])
    assert WorkItem.objects.count() == 2


def test_new_work_items_start_pending(work_items):
    first = work_items[0]
    fields = {
        "basket": first.basket,
        "basket_item": first.basket_item,
        "catalog_item": first.catalog_item,
        "quantity": 1,
        "status": "completed",
    }
    with pytest.raises(InvalidStatusTransitionError, match="cannot start as 'completed'"):
        WorkItem(**fields).save()
    with pytest.raises(InvalidStatusTransitionError):
        WorkItem.objects.bulk_create([WorkItem(**fields)])


def test_status_moves_are_checked_on_save(work_items):
    item = WorkItem.objects.get(pk=work_items[0].pk)
    item.status = "completed"
    with pytest.raises(InvalidStatusTransitionError, match="from 'pending' to 'completed'"):
        item.save()
    item.status = "in_progress"
    item.save()
    item.status = "completed"
    item.save()
    assert WorkItem.objects.get(pk=item.pk).status == "completed"
    item.status = "pending"
    with pytest.raises(InvalidStatusTransitionError, match="expected one of: nothing"):
        item.save()


def test_status_is_not_changed_by_queryset_update_or_bulk_update(work_items):
    with pytest.raises(RefusedOperationError, match="use update_work_item_status"):
        WorkItem.objects.update(status="completed")
    work_items[0].status = "completed"
    with pytest.raises(RefusedOperationError):
        WorkItem.objects.bulk_update(work_items, ["status"])
    assert set(WorkItem.objects.values_list("status", flat=True)) == {"pending"}


def test_other_fields_update_in_bulk(work_items, other_user):
    assert WorkItem.objects.update(priority=WorkItem.Priority.URGENT) == 2
    work_items[0].assigned_to = other_user
    WorkItem.objects.bulk_update(work_items, ["assigned_to"])
    assert WorkItem.objects.get(pk=work_items[0].pk).assigned_to == other_user


def test_work_items_are_never_deleted(work_items):
    with pytest.raises(RefusedOperationError, match="cancel them instead"):
        work_items[0].delete()
    with pytest.raises(RefusedOperationError):
        WorkItem.objects.all().delete()
    assert WorkItem.objects.count() == 2


def test_board_queries(work_items, user):
    update_work_item_status(work_items[0], "cancelled", user)
    assert list(WorkItem.objects.on_board("pharmacy")) == [work_items[1]]
    assert list(WorkItem.objects.open()) == [work_items[1]]
    assert work_items[1].is_open
    assert not WorkItem.objects.get(pk=work_items[0].pk).is_open


def test_open_work_items_are_the_pending_and_in_progress_ones(work_items, user):
    lab_work, medication_work = work_items
    update_work_item_status(lab_work, "in_progress", user)
    assert set(WorkItem.objects.open()) == {lab_work, medication_work}
    update_work_item_status(lab_work, "completed", user)
    assert list(WorkItem.objects.open()) == [medication_work]
    update_work_item_status(medication_work, "in_progress", user)
    assert list(WorkItem.objects.open()) == [medication_work]
    assert not WorkItem.objects.get(pk=lab_work.pk).is_open


# DispenseLog


def test_dispense_log_rows_cannot_be_saved_again(entry):
    entry.quantity = 2
    with pytest.raises(ImmutableRecordError, match="append-only: save"):
        entry.save()
    assert DispenseLog.objects.get(pk=entry.pk).quantity == 1


def test_dispense_log_rows_cannot_be_deleted(entry):
    with pytest.raises(ImmutableRecordError, match="append-only: delete"):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        DispenseLog.objects.all().delete()
    assert DispenseLog.objects.count() == 1


def test_dispense_log_refuses_every_bulk_write(entry):
    with pytest.raises(ImmutableRecordError, match="append-only: update"):
        DispenseLog.objects.update(quantity=2)
    with pytest.raises(ImmutableRecordError, match="append-only: bulk_update"):
        DispenseLog.objects.bulk_update([entry], ["quantity"])
    with pytest.raises(ImmutableRecordError):
        DispenseLog.objects.update_or_create(pk=entry.pk, defaults={"quantity": 2})
    assert DispenseLog.objects.get(pk=entry.pk).quantity == 1


def test_dispense_log_takes_new_rows(entry, work_items, user):
    DispenseLog.objects.bulk_create(
        [DispenseLog(work_item=work_items[1], quantity=1, dispensed_by=user)]
    )
    DispenseLog.objects.create(work_item=work_items[1], quantity=1, dispensed_by=user)
    assert DispenseLog.objects.count() == 3
    with pytest.raises(InvalidQuantityError):
        DispenseLog.objects.create(work_item=work_items[1], quantity=0, dispensed_by=user)
    with pytest.raises(InvalidQuantityError):
        DispenseLog.objects.bulk_create(
            [DispenseLog(work_item=work_items[1], quantity=-1, dispensed_by=user)]
        )
    assert DispenseLog.objects.count() == 3


def test_dispense_log_rows_made_directly_never_exceed_the_ordered_quantity(entry, work_items, user):
    """create() and bulk_create() keep dispense()'s rule: 3 ordered, 1 already given."""
    medication_work = work_items[1]
    with pytest.raises(OverDispenseError, match="expected at most 2") as info:
        DispenseLog.objects.create(work_item=medication_work, quantity=3, dispensed_by=user)
    assert (info.value.work_item, info.value.quantity, info.value.remaining) == (
        medication_work,
        3,
        2,
    )
    with pytest.raises(OverDispenseError, match="expected at most 1"):
        DispenseLog.objects.bulk_create(
            [
                DispenseLog(work_item=medication_work, quantity=1, dispensed_by=user),
                DispenseLog(work_item=medication_work, quantity=2, dispensed_by=user),
            ]
        )
    assert dispensed_quantity(medication_work) == 1
    DispenseLog.objects.bulk_create(
        [DispenseLog(work_item=medication_work, quantity=1, dispensed_by=user) for _ in range(2)]
    )
    assert dispensed_quantity(medication_work) == 3


def test_dispense_log_rows_made_directly_need_an_open_stock_item(work_items, user):
    lab_work, medication_work = work_items
    with pytest.raises(NotDispensableError, match="'service'"):
        DispenseLog.objects.create(work_item=lab_work, quantity=1, dispensed_by=user)
    update_work_item_status(medication_work, "cancelled", user)
    with pytest.raises(NotDispensableError, match="'cancelled'"):
        DispenseLog.objects.bulk_create(
            [DispenseLog(work_item=medication_work, quantity=1, dispensed_by=user)]
        )
    assert not DispenseLog.objects.exists()


def test_dispensed_work_item_cannot_be_deleted_from_under_the_log(entry):
    with pytest.raises(RefusedOperationError):
        entry.work_item.delete()
    assert DispenseLog.objects.filter(pk=entry.pk).exists()
