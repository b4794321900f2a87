"""``Basket`` and ``BasketItem``: what is collected for an encounter before it becomes work."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models, router, transaction

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_catalog import conf
from django_catalog.exceptions import (
    BasketDeletedError,
    BasketNotDraftError,
    InactiveCatalogItemError,
)
from django_catalog.models.status import StatusChartModel
from django_catalog.query import (
    BasketItemManager,
    BasketItemQuerySet,
    BasketManager,
    refuse_basket_expressions,
)
from django_catalog.routing import resolve_board
from django_catalog.validators import check_quantity, check_text


class Basket(StatusChartModel, BaseModel):
    """The items ordered for one encounter. draft -> committed | cancelled.

    At most one live (not soft-deleted) draft exists per encounter; the database enforces it.
    """

    class Status(models.TextChoices):
        # Labels come from the names: "Draft", "Committed", "Cancelled".
        DRAFT = "draft"
        COMMITTED = "committed"
        CANCELLED = "cancelled"

    INITIAL_STATUS = Status.DRAFT
    STATUS_MOVES: dict[str, tuple[str, ...]] = {Status.DRAFT: (Status.COMMITTED, Status.CANCELLED)}

    # Read once at import, like AUTH_USER_MODEL: the migration follows the setting.
    encounter = models.ForeignKey(
        conf.encounter_model_label(), on_delete=models.PROTECT, related_name="catalog_baskets"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    committed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[BasketManager[Basket]] = BasketManager()
    all_objects: ClassVar[BasketManager[Basket]] = BasketManager(rows="all")
    deleted_objects: ClassVar[BasketManager[Basket]] = BasketManager(rows="dead")

    class Meta:
        base_manager_name = "all_objects"  # Django's internal paths get the guarded queryset too
        ordering = ["-created_at"]
        constraints = [
            ConditionalUniqueConstraint(
                fields=["encounter"],
                condition=models.Q(status="draft", deleted_at__isnull=True),
                name="catalog_basket_one_live_draft_per_encounter",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "committed", "cancelled"]),
                name="catalog_basket_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="committed") | models.Q(committed_at__isnull=False),
                name="catalog_basket_committed_has_committed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Basket {self.pk} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # Racing inserts of a draft for one encounter can deadlock on MariaDB (their duplicate
        # checks lock the same gap of the unique index): the victim runs again and then meets
        # the winner's draft (IntegrityError) instead of raising OperationalError.
        retrying_deadlocks(using, lambda: super(Basket, self).save(*args, **kwargs))


class BasketItem(BaseModel):
    """One catalog item in a basket, with a snapshot of its name and routing when added.

    Adding, changing or removing items is refused unless the basket is a draft; the basket row
    is locked while this is checked, so an item cannot slip in while the basket is committed.
    """

    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="items")
    catalog_item = models.ForeignKey(
        "django_catalog.CatalogItem", on_delete=models.PROTECT, related_name="basket_items"
    )
    quantity = models.PositiveIntegerField(default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    # Snapshot taken when the item is added: later catalog or settings changes don't alter it.
    display_name = models.CharField(max_length=200, editable=False)
    board = models.CharField(max_length=64, editable=False)
    routing_rule = models.CharField(max_length=100, editable=False)

    objects: ClassVar[BasketItemManager[BasketItem]] = BasketItemManager()
    all_objects: ClassVar[BasketItemManager[BasketItem]] = BasketItemManager(rows="all")
    deleted_objects: ClassVar[BasketItemManager[BasketItem]] = BasketItemManager(rows="dead")

    class Meta:
        base_manager_name = "all_objects"  # _base_manager.bulk_create() keeps the draft check
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="catalog_basketitem_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.display_name or self.catalog_item_id}"

    @classmethod
    def prepare_new_items(cls, items: list[BasketItem], using: str | None = None) -> None:
        """Validate new items and take their snapshots; call inside a transaction.

        Locks every basket involved (so a concurrent commit waits, or is waited for), then
        refuses closed baskets, bad quantities and inactive catalog items.
        """
        refuse_basket_expressions(cls, "create()", [item.basket_id for item in items])
        for item in items:
            check_quantity(item.quantity)
            check_text(item.notes, "notes")
        _lock_draft_baskets({item.basket_id for item in items}, using)
        _load_catalog_items(items, using)
        inactive = [item.catalog_item for item in items if not item.catalog_item.active]
        if inactive and not _inactive_items_allowed():
            raise InactiveCatalogItemError(inactive[0])
        for item in items:
            route = resolve_board(item.catalog_item)
            item.display_name = item.catalog_item.display_name
            item.board, item.routing_rule = route.board, route.rule

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if self._state.adding:
                self.prepare_new_items([self], using)
            else:
                refuse_basket_expressions(type(self), "save()", [self.basket_id])
                check_quantity(self.quantity)
                # The stored basket (which this item may be leaving) and the new one.
                self._stored_row(using)._refuse_outside_drafts(also=[self.basket_id])
            super().save(*args, **kwargs)

    # delete() and restore() go through BasketItemQuerySet, which refuses closed baskets.

    @alters_data
    def hard_delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self._stored_row(using)._refuse_outside_drafts()
            return super().hard_delete(using=using, keep_parents=keep_parents)

    def _stored_row(self, using: str) -> BasketItemQuerySet[BasketItem]:
        row: BasketItemQuerySet[BasketItem] = type(self).all_objects.using(using).filter(pk=self.pk)
        return row


def _lock_draft_baskets(basket_ids: set[Any], using: str | None) -> None:
    """Lock the baskets (in pk order, to avoid deadlocks) and refuse any that is not a draft."""
    found = {
        basket.pk: basket
        for basket in Basket.all_objects.using(using)
        .select_for_update()
        .filter(pk__in=basket_ids)
        .only("pk", "status", "deleted_at")
        .order_by("pk")
    }
    for basket_id in sorted(basket_ids, key=str):
        basket = found.get(basket_id)
        if basket is None or basket.deleted_at is not None:
            raise BasketDeletedError(basket or Basket(pk=basket_id))
        if basket.status != Basket.Status.DRAFT:
            raise BasketNotDraftError(basket)


def _load_catalog_items(items: list[BasketItem], using: str | None) -> None:
    """Fetch the catalog items not yet loaded on ``items`` in one query, not one per item."""
    from django_catalog.models.catalog import CatalogItem

    field: Any = BasketItem._meta.get_field("catalog_item")  # a ForeignKey
    missing = {
        item.catalog_item_id
        for item in items
        if item.catalog_item_id is not None and not field.is_cached(item)
    }
    if not missing:
        return
    found = CatalogItem._base_manager.using(using).in_bulk(missing)
    for item in items:
        if not field.is_cached(item) and item.catalog_item_id in found:
            item.catalog_item = found[item.catalog_item_id]


def _inactive_items_allowed() -> bool:
    from django_catalog.models.settings import CatalogSettings

    allowed: bool = CatalogSettings.get_instance().allow_inactive_items
    return allowed
