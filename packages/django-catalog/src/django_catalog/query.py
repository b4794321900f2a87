"""QuerySets that keep the invariants on the ORM paths that skip ``save()`` and ``delete()``,
and the one manager class per soft-deletable model (django-basemodels' ``SoftDeleteManager``,
which gives ``objects``, ``all_objects`` and ``deleted_objects``).

This module stands below the models: it never imports them (not even for type checkers), so
the model modules can import it. The querysets are generic in their model; a queryset reaches
the model's own methods through ``self.model`` and the related models through its fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from django_basemodels.markers import alters_data, queryset_only
from django_basemodels.query import SoftDeleteManager, SoftDeleteQuerySet
from django_catalog.exceptions import (
    BasketNotDraftError,
    ImmutableRecordError,
    RefusedOperationError,
)
from django_catalog.validators import check_quantity, is_expression

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "BasketItemManager",
    "BasketItemQuerySet",
    "BasketManager",
    "BasketQuerySet",
    "DispenseLogQuerySet",
    "WorkItemQuerySet",
]

_Model = TypeVar("_Model", bound=models.Model, covariant=True)


def _own_model(queryset: models.QuerySet[Any]) -> Any:
    """``queryset.model`` with its own methods and constants (``prepare_new_items()``,
    ``OPEN_STATUSES`` ...), which a queryset generic in its model cannot name."""
    return queryset.model


BASKET_KEYS = ("basket", "basket_id")
# A work item belongs to the basket item it was spawned for, for good.
SPAWN_KEYS = ("basket", "basket_id", "basket_item", "basket_item_id")


def refuse_basket_expressions(model: Any, operation: str, values: Any) -> None:
    """An item's basket is given as a Basket or its key, never as an expression: an expression
    (``F()``, ``Subquery``) would pick its target inside the UPDATE, after the draft check."""
    if any(is_expression(value) for value in values):
        raise RefusedOperationError(
            model,
            f"{operation} with an expression for the basket",
            "give a Basket or its primary key, so that the basket can be checked to be a draft",
        )


class BasketQuerySet(SoftDeleteQuerySet[_Model]):
    """Basket status moves only through ``commit_basket()`` and ``cancel_basket()``."""

    @alters_data
    def update(self, **kwargs: Any) -> int:
        if "status" in kwargs:
            raise RefusedOperationError(
                self.model, "update(status=...)", "use commit_basket() or cancel_basket()"
            )
        return super().update(**kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        if "status" in fields:
            raise RefusedOperationError(
                self.model, "bulk_update(status)", "use commit_basket() or cancel_basket()"
            )
        return super().bulk_update(objs, fields, *args, **kwargs)

    @alters_data
    def soft_delete_at(self, moment: Any) -> tuple[int, dict[str, int]]:
        """Drafts and cancelled baskets may be deleted; committed ones record spawned work."""
        with transaction.atomic(using=self.db):
            # Lock every row first (pk order, like the soft delete itself) so that none can be
            # committed between this check and the delete.
            locked = self.select_for_update().order_by("pk").values_list("pk", "status")
            for pk, status in locked:
                if status == "committed":
                    raise RefusedOperationError(
                        self.model,
                        "delete()",
                        f"basket {pk} is committed and its work items exist; expected a draft "
                        "or cancelled basket",
                    )
            return super().soft_delete_at(moment)

    def drafts(self) -> Self:
        drafts: Self = self.filter(status="draft")
        return drafts


class BasketItemQuerySet(SoftDeleteQuerySet[_Model]):
    """Items change only while their basket is a draft, whichever ORM path is used."""

    @alters_data
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _own_model(self).prepare_new_items(objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)

    @alters_data
    def update(self, **kwargs: Any) -> int:
        # Moving items into another basket needs that basket to be a draft as well.
        targets = [kwargs[key] for key in BASKET_KEYS if key in kwargs]
        refuse_basket_expressions(self.model, "update()", targets)
        if "quantity" in kwargs and not is_expression(kwargs["quantity"]):
            check_quantity(kwargs["quantity"])
        with transaction.atomic(using=self.db):
            self._refuse_outside_drafts(also=[getattr(t, "pk", t) for t in targets])
            return super().update(**kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        refuse_basket_expressions(self.model, "bulk_update()", [obj.basket_id for obj in objs])
        if "quantity" in fields:
            for obj in objs:
                if not is_expression(obj.quantity):
                    check_quantity(obj.quantity)
        with transaction.atomic(using=self.db):
            _own_model(self).all_objects.using(self.db).filter(
                pk__in=[obj.pk for obj in objs]
            )._refuse_outside_drafts(also=[obj.basket_id for obj in objs])
            return super().bulk_update(objs, fields, *args, **kwargs)

    @alters_data
    def hard_delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db):
            self._refuse_outside_drafts()
            return super().hard_delete()

    @alters_data
    def soft_delete_at(self, moment: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db):
            self._refuse_outside_drafts()
            return super().soft_delete_at(moment)

    @alters_data
    def restore(self) -> int:
        with transaction.atomic(using=self.db):
            self._refuse_outside_drafts()
            return super().restore()

    def _refuse_outside_drafts(self, also: Any = ()) -> None:
        """Lock the baskets involved (and ``also`` these) and refuse any that is not a draft."""
        basket_model: Any = self.model._meta.get_field("basket").related_model
        baskets = basket_model.all_objects.using(self.db).select_for_update().only("pk", "status")
        involved = models.Q(pk__in=self.values("basket_id"))
        if also:
            involved |= models.Q(pk__in=list(also))
        # Every basket involved is locked (not only the closed ones) so that none can be
        # committed between this check and the write that follows it.
        for basket in baskets.filter(involved).order_by("pk"):
            if basket.status != "draft":
                raise BasketNotDraftError(basket)


class WorkItemQuerySet(models.QuerySet[_Model]):
    """Work items are spawned by ``commit_basket()``; status moves go through
    ``update_work_item_status()``; work items are never deleted."""

    @alters_data
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.check_new_status()
        _own_model(self).refuse_outside_commit(objs, self.db)
        return super().bulk_create(objs, *args, **kwargs)

    def _spawn(self, objs: list[Any]) -> list[Any]:
        """``commit_basket()``'s own insert: it holds the committed basket's lock."""
        return super().bulk_create(objs)

    @alters_data
    def update(self, **kwargs: Any) -> int:
        if "status" in kwargs:
            raise RefusedOperationError(
                self.model, "update(status=...)", "use update_work_item_status()"
            )
        _refuse_spawn_keys(self.model, "update()", kwargs)
        return super().update(**kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        if "status" in fields:
            raise RefusedOperationError(
                self.model, "bulk_update(status)", "use update_work_item_status()"
            )
        _refuse_spawn_keys(self.model, "bulk_update()", fields)
        return super().bulk_update(objs, fields, *args, **kwargs)

    @queryset_only
    @alters_data
    def delete(self) -> Any:
        raise RefusedOperationError(
            self.model, "delete()", "work items are records; cancel them instead"
        )

    def on_board(self, board: str) -> Self:
        on_board: Self = self.filter(board=board)
        return on_board

    def open(self) -> Self:
        still_open: Self = self.filter(status__in=_own_model(self).OPEN_STATUSES)
        return still_open


def _refuse_spawn_keys(model: Any, operation: str, names: Any) -> None:
    moved = sorted(set(names) & set(SPAWN_KEYS))
    if moved:
        raise RefusedOperationError(
            model, f"{operation} of {moved}", "a work item stays with the item it was spawned for"
        )


class DispenseLogQuerySet(models.QuerySet[_Model]):
    """Append-only: rows can be inserted, never updated or deleted."""

    @alters_data
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _own_model(self).check_new_entries(objs, self.db)
            return super().bulk_create(objs, *args, **kwargs)

    @alters_data
    def update(self, **kwargs: Any) -> int:
        raise ImmutableRecordError(self.model, "update()")

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        raise ImmutableRecordError(self.model, "bulk_update()")

    @queryset_only
    @alters_data
    def delete(self) -> Any:
        raise ImmutableRecordError(self.model, "delete()")


# One manager class per soft-deletable model: ``Manager()``, ``Manager(rows="all")`` and
# ``Manager(rows="dead")`` are its ``objects``, ``all_objects`` and ``deleted_objects``.
BasketManager = SoftDeleteManager.from_queryset(BasketQuerySet)
BasketItemManager = SoftDeleteManager.from_queryset(BasketItemQuerySet)
