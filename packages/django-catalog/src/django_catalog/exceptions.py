"""Errors raised by django-catalog. Every one is a ``CatalogError`` and names the bad value."""

from __future__ import annotations

from typing import Any


class CatalogError(Exception):
    """Base class of every error raised by django-catalog."""


def shown(value: Any) -> str:
    """``repr(value)``, cut short: messages name the value without repeating a huge one."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


class InvalidArgumentError(CatalogError):
    """A value handed to the package is not what it takes; nothing was written."""

    def __init__(self, argument: str, value: Any, expected: str, message: str = "") -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(
            message
            or f"{argument} {shown(value)} ({type(value).__name__}) is invalid; expected {expected}"
        )


class InvalidEncounterError(InvalidArgumentError):
    """A basket was asked for with something that is not a saved instance of the encounter
    model."""

    def __init__(self, encounter: Any, expected: str) -> None:
        self.encounter = encounter
        super().__init__(
            "encounter",
            encounter,
            expected,
            f"encounter {shown(encounter)} is a {type(encounter).__name__}; expected an instance "
            f"of {expected} (the CATALOG_ENCOUNTER_MODEL setting), saved in the database",
        )


class BasketStateError(CatalogError):
    """An operation that needs a basket in another status."""

    def __init__(self, basket: Any, message: str) -> None:
        self.basket = basket
        super().__init__(message)


class BasketNotDraftError(BasketStateError):
    """Items can only be added, changed or removed while the basket is a draft."""

    def __init__(self, basket: Any, status: str | None = None) -> None:
        status = str(status or basket.status)
        self.status = status
        super().__init__(
            basket, f"basket {basket.pk} is {status!r}; expected 'draft' to change its items"
        )


class BasketCancelledError(BasketStateError):
    """A cancelled basket cannot be committed."""

    def __init__(self, basket: Any) -> None:
        super().__init__(
            basket, f"basket {basket.pk} is 'cancelled'; expected 'draft' or 'committed' to commit"
        )


class EmptyBasketError(BasketStateError):
    """Committing a basket without items would spawn nothing: almost always a mistake."""

    def __init__(self, basket: Any) -> None:
        super().__init__(basket, f"basket {basket.pk} has no items; expected at least one")


class BasketDeletedError(BasketStateError):
    """The basket was soft-deleted."""

    def __init__(self, basket: Any) -> None:
        super().__init__(basket, f"basket {basket.pk} is deleted; expected a live basket")


class InactiveCatalogItemError(CatalogError):
    """An inactive catalog item was added while ``allow_inactive_items`` is off."""

    def __init__(self, catalog_item: Any) -> None:
        self.catalog_item = catalog_item
        super().__init__(
            f"catalog item {catalog_item.display_name!r} ({catalog_item.pk}) is inactive; "
            "expected an active item (or CatalogSettings.allow_inactive_items = True)"
        )


class InvalidQuantityError(InvalidArgumentError):
    """A quantity that is not a whole number from 1 to ``MAX_QUANTITY``."""

    def __init__(self, quantity: Any, most: int) -> None:
        self.quantity = quantity
        expected = f"a whole number above 0 and at most {most}"
        super().__init__(
            "quantity",
            quantity,
            expected,
            f"quantity {shown(quantity)} is invalid; expected {expected}",
        )


class InvalidStatusTransitionError(CatalogError):
    """A status move (of a work item or a basket) that its state chart does not allow.

    ``from_status`` is ``None`` for a row that does not exist yet.
    """

    def __init__(self, obj: Any, from_status: str | None, to_status: str, allowed: Any) -> None:
        # str() turns TextChoices members into their plain values for the message.
        self.obj = obj
        self.from_status = None if from_status is None else str(from_status)
        self.to_status = str(to_status)
        self.allowed = tuple(str(status) for status in allowed)
        expected = ", ".join(repr(status) for status in self.allowed) or "nothing (final status)"
        origin = "start as" if from_status is None else f"move from {self.from_status!r} to"
        super().__init__(
            f"{obj._meta.verbose_name} {obj.pk} cannot {origin} {self.to_status!r}; "
            f"expected one of: {expected}"
        )


class DispenseError(CatalogError):
    """Stock cannot be dispensed for this work item."""

    def __init__(self, work_item: Any, message: str) -> None:
        self.work_item = work_item
        super().__init__(message)


class NotDispensableError(DispenseError):
    """Only open (pending or in progress) work items for stock items can be dispensed."""

    def __init__(self, work_item: Any) -> None:
        super().__init__(
            work_item,
            f"work item {work_item.pk} is a {str(work_item.kind)!r} in status "
            f"{str(work_item.status)!r}; "
            "expected a 'stock_item' that is 'pending' or 'in_progress'",
        )


class OverDispenseError(DispenseError):
    """More would be dispensed than the basket ordered."""

    def __init__(self, work_item: Any, quantity: int, remaining: int) -> None:
        self.quantity = quantity
        self.remaining = remaining
        super().__init__(
            work_item,
            f"dispensing {quantity} for work item {work_item.pk} exceeds what was ordered; "
            f"expected at most {remaining}",
        )


class ImmutableRecordError(CatalogError):
    """Append-only rows (``DispenseLog``) can be added, never changed or deleted."""

    def __init__(self, model: Any, operation: str) -> None:
        self.model = model
        self.operation = operation
        label = model._meta.label
        super().__init__(f"{label} is append-only: {operation} refused; expected inserts only")


class RefusedOperationError(CatalogError):
    """An ORM path that would bypass an invariant (named in the message) is refused."""

    def __init__(self, model: Any, operation: str, instead: str) -> None:
        self.model = model
        self.operation = operation
        super().__init__(f"{model._meta.label}.{operation} is refused: {instead}")
