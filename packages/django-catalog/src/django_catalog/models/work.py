"""``WorkItem`` (spawned when a basket is committed) and the append-only ``DispenseLog``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Sum
from django.utils import timezone

from django_basemodels.markers import alters_data
from django_basemodels.models import TimeStampedModel, UUIDModel
from django_catalog.exceptions import (
    ImmutableRecordError,
    NotDispensableError,
    OverDispenseError,
    RefusedOperationError,
)
from django_catalog.models.status import StatusChartModel
from django_catalog.query import DispenseLogQuerySet, WorkItemQuerySet
from django_catalog.validators import check_quantity


class WorkItem(StatusChartModel, UUIDModel, TimeStampedModel):
    """Executable work for one basket item, on the board it was routed to when spawned.

    pending -> in_progress -> completed; pending or in_progress -> cancelled. The basket item is
    the spawn key: the database refuses a second work item for it. Work items are records and are
    never deleted; cancel them instead.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Priority(models.IntegerChoices):
        LOW = 10, "Low"
        NORMAL = 20, "Normal"
        HIGH = 30, "High"
        URGENT = 40, "Urgent"

    # Plain values (the type checker reads Status members as their (value, label) pairs).
    INITIAL_STATUS = "pending"
    STATUS_MOVES = {
        "pending": ("in_progress", "cancelled"),
        "in_progress": ("completed", "cancelled"),
    }
    OPEN_STATUSES = ("pending", "in_progress")

    basket = models.ForeignKey(
        "django_catalog.Basket", on_delete=models.PROTECT, related_name="work_items"
    )
    basket_item = models.OneToOneField(
        "django_catalog.BasketItem", on_delete=models.PROTECT, related_name="work_item"
    )
    catalog_item = models.ForeignKey(
        "django_catalog.CatalogItem", on_delete=models.PROTECT, related_name="work_items"
    )
    # Copied from the basket item at spawn time.
    kind = models.CharField(max_length=20, editable=False)
    display_name = models.CharField(max_length=200, editable=False)
    quantity = models.PositiveIntegerField(editable=False)
    board = models.CharField(max_length=64, db_index=True, editable=False)
    routing_rule = models.CharField(max_length=100, editable=False)

    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices,
        default=Priority.NORMAL,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_work_items",
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # Django's internal paths get the guarded queryset too
        ordering = ["-priority", "created_at", "id"]
        indexes = [models.Index(fields=["board", "status"], name="catalog_workitem_board_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "in_progress", "completed", "cancelled"]),
                name="catalog_workitem_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="catalog_workitem_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} [{self.board}] {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.check_new_status()
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            self.refuse_outside_commit([self], using)
        super().save(*args, **kwargs)

    @classmethod
    def refuse_outside_commit(cls, work_items: list[WorkItem], using: str | None) -> None:
        """Work items come from a commit only: each must be for an item of a committed basket,
        in that basket. (Before the commit that would block the commit's own spawn forever;
        after it, the item has its work item already.) One query."""
        from django_catalog.models.basket import BasketItem

        found = {
            pk: (basket_id, status)
            for pk, basket_id, status in BasketItem.all_objects.using(using)
            .filter(pk__in={item.basket_item_id for item in work_items})
            .values_list("pk", "basket_id", "basket__status")
        }
        for item in work_items:
            basket_id, status = found.get(item.basket_item_id, (None, None))
            if status != "committed" or basket_id != item.basket_id:
                raise RefusedOperationError(
                    cls,
                    "create()",
                    f"basket item {item.basket_item_id} is in basket {basket_id} ({status}); "
                    f"work items are spawned by commit_basket() for a committed basket's items",
                )

    @alters_data
    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RefusedOperationError(
            type(self), "delete()", "work items are records; cancel them instead"
        )


class DispenseLog(UUIDModel):
    """That stock was handed out for a work item. Append-only: never updated, never deleted.

    Every ORM path refuses changes (``ImmutableRecordError``); on PostgreSQL a trigger installed
    by the migrations refuses UPDATE and DELETE from raw SQL too.
    """

    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="dispenses")
    quantity = models.PositiveIntegerField()
    dispensed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dispensed_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = models.TextField(blank=True)

    objects = DispenseLogQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # _base_manager.bulk_create() keeps the dispense checks
        ordering = ["dispensed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="catalog_dispenselog_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} dispensed for {self.work_item_id}"

    @classmethod
    def check_new_entries(cls, entries: list[DispenseLog], using: str | None) -> None:
        """Lock the work items of ``entries`` and refuse what they cannot take.

        Call inside a transaction. Refuses bad quantities (``InvalidQuantityError``), work items
        that are not open stock items (``NotDispensableError``) and totals past the ordered
        quantity (``OverDispenseError``). Each entry's ``work_item`` becomes the locked row.
        Two queries whatever the number of entries: the lock and the totals so far.
        """
        for entry in entries:
            check_quantity(entry.quantity)
        ids = {entry.work_item_id for entry in entries}
        locked = {
            work_item.pk: work_item
            for work_item in WorkItem.objects.using(using)
            .select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
        }
        given = dict(
            cls.objects.using(using)
            .filter(work_item_id__in=ids)
            .order_by()
            .values_list("work_item_id")
            .annotate(total=Sum("quantity"))
        )
        for entry in entries:
            work_item = locked.get(entry.work_item_id)
            if work_item is None:
                raise WorkItem.DoesNotExist(f"work item {entry.work_item_id} does not exist")
            if work_item.kind != "stock_item" or not work_item.is_open:
                raise NotDispensableError(work_item)
            remaining = work_item.quantity - given.get(work_item.pk, 0)
            if entry.quantity > remaining:
                raise OverDispenseError(work_item, entry.quantity, remaining)
            given[work_item.pk] = given.get(work_item.pk, 0) + entry.quantity
            entry.work_item = work_item

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(type(self), "save() of an existing row")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        kwargs["force_insert"] = True
        with transaction.atomic(using=using):
            self.check_new_entries([self], using)
            super().save(*args, **kwargs)

    @alters_data
    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError(type(self), "delete()")
