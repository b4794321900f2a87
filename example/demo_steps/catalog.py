"""django-catalog: order a lab test and a medication; committing twice spawns the work once."""

from __future__ import annotations

from django_catalog.exceptions import CatalogError
from django_catalog.models import BasketItem, CatalogItem
from django_catalog.services import (
    commit_basket,
    dispense,
    dispensed_quantity,
    get_or_create_draft_basket,
    update_work_item_status,
)


def run(ctx) -> None:
    encounter = ctx.shared["encounter"]
    lab_test, _ = CatalogItem.objects.get_or_create(
        kind="service", service_category="lab", display_name="Blood Test"
    )
    medication, _ = CatalogItem.objects.get_or_create(
        kind="stock_item", display_name="Amoxicillin 250 mg"
    )
    basket = get_or_create_draft_basket(encounter, ctx.user)
    same_draft = get_or_create_draft_basket(encounter, ctx.user) == basket
    ctx.say(f"Draft basket for encounter {encounter.pk}; asking again gives it back: {same_draft}.")
    BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=ctx.user)
    BasketItem.objects.create(basket=basket, catalog_item=medication, added_by=ctx.user, quantity=2)
    ctx.say("Added: 1 x Blood Test, 2 x Amoxicillin 250 mg.")

    work_items = commit_basket(basket, ctx.user)
    again = commit_basket(basket, ctx.user)
    same = [w.pk for w in again] == [w.pk for w in work_items]
    ctx.say(f"Committed twice: {len(work_items)} work items, the same both times: {same}.")
    for work_item in work_items:
        ctx.say(f"  board '{work_item.board}' ({work_item.routing_rule}): {work_item.display_name}")
    try:
        BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=ctx.user)
    except CatalogError as error:
        ctx.say(f"Adding to the committed basket is refused: {error}")

    lab_work, medication_work = work_items
    dispense(medication_work, ctx.user, quantity=2)
    ctx.say(f"Pharmacy dispensed {dispensed_quantity(medication_work)} (append-only log).")
    try:
        dispense(medication_work, ctx.user, quantity=1)
    except CatalogError as error:
        ctx.say(f"A third unit is refused: {error}")
    update_work_item_status(lab_work, "in_progress", ctx.user)
    update_work_item_status(lab_work, "completed", ctx.user)
    ctx.say(f"Lab work item: {lab_work.status} at {lab_work.completed_at:%H:%M:%S}.")
    ctx.shared["lab_work_item"] = lab_work
