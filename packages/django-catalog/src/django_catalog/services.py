"""The operations users call. Each runs in one transaction and leaves nothing half-written."""

from __future__ import annotations

from typing import Any, cast

from django.db import IntegrityError, router, transaction
from django.db.models import Sum
from django.utils import timezone

from django_basemodels.deadlocks import retrying_deadlocks
from django_catalog import conf
from django_catalog.exceptions import (
    BasketCancelledError,
    BasketDeletedError,
    BasketNotDraftError,
    CatalogError,
    EmptyBasketError,
    InvalidArgumentError,
    InvalidEncounterError,
    InvalidStatusTransitionError,
)
from django_catalog.models import Basket, BasketItem, CatalogItem, DispenseLog, WorkItem
from django_catalog.signals import (
    basket_cancelled,
    basket_committed,
    item_dispensed,
    work_item_status_changed,
)
from django_catalog.validators import check_quantity, check_saved, check_text, check_user

# A draft that another caller creates and then commits or cancels before we read it could make
# us miss it twice in a row; a few rounds always settle on one draft.
_DRAFT_ATTEMPTS = 5


def get_or_create_draft_basket(encounter: Any, user: Any) -> Basket:
    """The encounter's live draft basket, created if it has none.

    Concurrent callers for one encounter all get the same draft: the database allows only one,
    and a caller that loses the race to create it reads the winner's.
    """
    model = conf.get_encounter_model()
    if not isinstance(encounter, model) or encounter.pk is None or encounter._state.adding:
        raise InvalidEncounterError(encounter, model._meta.label)
    # The encounter model is a setting: the stubs know only the one the type-check settings name.
    checked_encounter = cast(Any, encounter)
    check_user(user)
    using = router.db_for_write(Basket)
    for _ in range(_DRAFT_ATTEMPTS):
        draft: Basket | None = (
            Basket.objects.using(using).drafts().filter(encounter=checked_encounter).first()
        )
        if draft is not None:
            return draft
        try:
            # A deadlock's victim (MariaDB) runs again, unless it ran in the caller's transaction.
            return retrying_deadlocks(using, lambda: _create_draft(using, checked_encounter, user))
        except IntegrityError:
            continue  # another caller created the draft first: read it on the next round
    raise CatalogError(
        f"no draft basket could be created or read for encounter {encounter.pk} after "
        f"{_DRAFT_ATTEMPTS} attempts; expected the contention to settle"
    )


def _create_draft(using: str, encounter: Any, user: Any) -> Basket:
    with transaction.atomic(using=using):
        created: Basket = Basket.objects.using(using).create(encounter=encounter, created_by=user)
        return created


def add_item(
    basket: Basket, catalog_item: Any, user: Any, quantity: int = 1, notes: str = ""
) -> BasketItem:
    """Add ``catalog_item`` to a draft basket (the same as ``BasketItem.objects.create``)."""
    check_saved(basket, Basket, "basket")
    check_saved(catalog_item, CatalogItem, "catalog_item")
    check_user(user)
    check_quantity(quantity)
    check_text(notes, "notes")
    item: BasketItem = BasketItem.objects.create(
        basket=basket, catalog_item=catalog_item, added_by=user, quantity=quantity, notes=notes
    )
    return item


def commit_basket(basket: Basket, user: Any) -> list[WorkItem]:
    """Commit a draft basket: spawn one work item per item, exactly once.

    The basket row is locked for the whole transaction, so concurrent calls run one after the
    other; the first spawns the work items and the others, like any later call, get the same
    work items back without creating anything. The database's uniqueness of the spawn key (one
    work item per basket item) backs this up. The query count does not depend on the number of
    items. Raises ``BasketCancelledError`` for a cancelled basket and ``EmptyBasketError`` for a
    draft without items.
    """
    check_saved(basket, Basket, "basket")
    check_user(user)
    using = router.db_for_write(Basket)
    with transaction.atomic(using=using):
        locked = _lock_basket(basket, using)
        if locked.status == Basket.Status.CANCELLED:
            raise BasketCancelledError(locked)
        if locked.status == Basket.Status.COMMITTED:
            _copy_status(locked, basket)
            return _spawned_work_items(locked, using)
        items = list(locked.items.using(using).select_related("catalog_item"))
        if not items:
            raise EmptyBasketError(locked)
        # The status first: work items are only ever created for a committed basket's items
        # (on PostgreSQL the database checks it on insert).
        locked.status = Basket.Status.COMMITTED
        locked.committed_by = user
        locked.committed_at = timezone.now()
        locked.save(update_fields=["status", "committed_by", "committed_at", "updated_at"])
        spawned = [_spawn(locked, item) for item in items]
        work_items: list[WorkItem] = WorkItem.objects.using(using)._spawn(spawned)
        _copy_status(locked, basket)
        basket_committed.send(sender=Basket, basket=basket, work_items=work_items, user=user)
        return work_items


def cancel_basket(basket: Basket, user: Any) -> Basket:
    """Cancel a draft basket; nothing is spawned from it, ever."""
    check_saved(basket, Basket, "basket")
    check_user(user)
    using = router.db_for_write(Basket)
    with transaction.atomic(using=using):
        locked = _lock_basket(basket, using)
        if locked.status != Basket.Status.DRAFT:
            raise BasketNotDraftError(locked)
        locked.status = Basket.Status.CANCELLED
        locked.cancelled_by = user
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at", "updated_at"])
        _copy_status(locked, basket)
        basket_cancelled.send(sender=Basket, basket=basket, user=user)
        return basket


def update_work_item_status(work_item: WorkItem, status: str, user: Any) -> WorkItem:
    """Move a work item along pending -> in_progress -> completed, or cancel an open one.

    The row is locked and the move checked against its current status, so two people cannot
    both complete it. Stamps ``started_at`` / ``completed_at`` / ``cancelled_at``.
    """
    check_saved(work_item, WorkItem, "work_item")
    if not isinstance(status, str):
        raise InvalidArgumentError("status", status, f"one of {list(WorkItem.Status.values)}")
    check_user(user)
    using = router.db_for_write(WorkItem)
    with transaction.atomic(using=using):
        locked = WorkItem.objects.using(using).select_for_update().get(pk=work_item.pk)
        old_status = locked.status
        allowed = WorkItem.STATUS_MOVES.get(old_status, ())
        if status not in allowed:
            raise InvalidStatusTransitionError(locked, old_status, status, allowed)
        now = timezone.now()
        locked.status = status
        locked.status_changed_by = user
        stamp = {
            "in_progress": "started_at",
            "completed": "completed_at",
            "cancelled": "cancelled_at",
        }[status]
        setattr(locked, stamp, now)
        locked.save(update_fields=["status", "status_changed_by", stamp, "updated_at"])
        for field in ("status", "status_changed_by", stamp, "updated_at"):
            setattr(work_item, field, getattr(locked, field))
        work_item._loaded_status = locked.status
        work_item_status_changed.send(
            sender=WorkItem,
            work_item=work_item,
            old_status=old_status,
            new_status=status,
            user=user,
        )
        return work_item


def dispense(work_item: WorkItem, user: Any, quantity: int = 1, notes: str = "") -> DispenseLog:
    """Record that ``quantity`` of a stock item was handed out for an open work item.

    The total dispensed never exceeds the quantity ordered (``OverDispenseError``); the work item
    row is locked so concurrent dispenses cannot overshoot together. The checks live in
    ``DispenseLog.check_new_entries()``, so ``DispenseLog.objects.create()`` and
    ``bulk_create()`` keep them too.
    """
    check_saved(work_item, WorkItem, "work_item")
    check_user(user)
    check_quantity(quantity)
    check_text(notes, "notes")
    using = router.db_for_write(DispenseLog)
    with transaction.atomic(using=using):
        entry: DispenseLog = DispenseLog.objects.using(using).create(
            work_item_id=work_item.pk, quantity=quantity, dispensed_by=user, notes=notes
        )
        item_dispensed.send(
            sender=DispenseLog, dispense_log=entry, work_item=entry.work_item, user=user
        )
        return entry


def dispensed_quantity(work_item: WorkItem) -> int:
    """How much has been dispensed for ``work_item`` so far."""
    check_saved(work_item, WorkItem, "work_item")
    return work_item.dispenses.aggregate(total=Sum("quantity"))["total"] or 0


def _lock_basket(basket: Basket, using: str) -> Basket:
    locked: Basket | None = (
        Basket.all_objects.using(using).select_for_update().filter(pk=basket.pk).first()
    )
    if locked is None or locked.is_deleted:
        raise BasketDeletedError(locked or basket)
    return locked


def _copy_status(source: Basket, target: Basket) -> None:
    """Bring the caller's basket object up to date with the locked row."""
    if target is source:
        return
    for field in ("status", "committed_by_id", "committed_at", "cancelled_by_id", "cancelled_at"):
        setattr(target, field, getattr(source, field))
    target.updated_at = source.updated_at
    target._loaded_status = source.status


def _spawned_work_items(basket: Basket, using: str) -> list[WorkItem]:
    return list(
        WorkItem.objects.using(using)
        .filter(basket=basket)
        .order_by("basket_item__created_at", "basket_item__id")
    )


def _spawn(basket: Basket, item: BasketItem) -> WorkItem:
    return WorkItem(
        basket=basket,
        basket_item=item,
        catalog_item_id=item.catalog_item_id,
        kind=item.catalog_item.kind,
        display_name=item.display_name,
        quantity=item.quantity,
        board=item.board,
        routing_rule=item.routing_rule,
    )
