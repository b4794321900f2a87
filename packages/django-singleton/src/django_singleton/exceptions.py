"""Errors raised by django-singleton; each carries the model (and rows) involved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model


class SingletonError(Exception):
    """Base class of every error raised by django-singleton."""


class SingletonDeletionError(SingletonError):
    """Something tried to delete the one row of a singleton model."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        super().__init__(
            f"{model._meta.label} is a singleton: its row cannot be deleted; "
            "expected the row to be edited instead"
        )


class SingletonViolationError(SingletonError):
    """The table holds rows other than pk=1 (written around the ORM or before the constraint)."""

    def __init__(self, model: type[Model], rogue_pks: Sequence[Any]) -> None:
        self.model = model
        self.rogue_pks = list(rogue_pks)
        super().__init__(
            f"{model._meta.label} has rogue rows with pk {self.rogue_pks}; "
            "expected exactly one row, pk=1: remove the others"
        )


class SingletonBulkCreateError(SingletonError):
    """``bulk_create`` was called on a singleton model, which never holds more than one row."""

    def __init__(self, model: type[Model], count: int) -> None:
        self.model = model
        self.count = count
        super().__init__(
            f"bulk_create() of {count} row(s) refused on {model._meta.label}: expected "
            f"{model.__name__}.get_instance() and save(), the table holds exactly one row"
        )


class SingletonCreationError(SingletonError):
    """``get_instance()`` could not create the row from the fields' defaults."""

    def __init__(self, model: type[Model], cause: BaseException) -> None:
        self.model = model
        self.cause = cause
        super().__init__(
            f"{model._meta.label}.get_instance() could not create the row from field defaults "
            f"({cause}); expected every field to have a default or to allow NULL"
        )


class SingletonValueError(SingletonError, ValueError):
    """A value given to the row (``save()``, ``QuerySet.update()``) or to ``get_instance()``
    cannot be stored or used; nothing is written."""

    def __init__(self, model: type[Model], name: str, value: object, expected: str) -> None:
        self.model = model
        self.name = name
        self.value = value
        shown = repr(value)
        if len(shown) > 80:
            shown = f"{shown[:77]}..."
        super().__init__(f"{model._meta.label}.{name} cannot be {shown}; expected {expected}")
