"""Value checks shared by the models, the querysets and the services.

Each refuses bad input with an ``InvalidArgumentError`` (or a subclass) that names the value and
what was expected, before anything is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from django_catalog.exceptions import InvalidArgumentError, InvalidQuantityError

# The largest value every supported database stores in a PositiveIntegerField.
MAX_QUANTITY = 2_147_483_647


def check_quantity(quantity: Any) -> None:
    """Refuse anything but a whole number from 1 to ``MAX_QUANTITY`` (``True`` is not one)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantityError(quantity, MAX_QUANTITY)
    if not 0 < quantity <= MAX_QUANTITY:
        raise InvalidQuantityError(quantity, MAX_QUANTITY)


def is_expression(value: Any) -> bool:
    return hasattr(value, "resolve_expression")


def check_saved(value: Any, model: type[models.Model], argument: str) -> None:
    """Refuse anything but an instance of ``model`` that is stored in the database."""
    if not isinstance(value, model) or value.pk is None or value._state.adding:
        raise InvalidArgumentError(argument, value, f"a saved {model._meta.label} instance")


def check_user(user: Any, argument: str = "user") -> None:
    check_saved(user, get_user_model(), argument)


def check_text(value: Any, argument: str, max_length: int | None = None) -> None:
    if not isinstance(value, str):
        raise InvalidArgumentError(argument, value, "a str")
    if max_length is not None and len(value) > max_length:
        raise InvalidArgumentError(argument, value, f"a str of at most {max_length} characters")


def check_choice(value: Any, argument: str, choices: Any) -> None:
    if value not in choices:
        raise InvalidArgumentError(argument, value, f"one of {sorted(choices)}")


def check_char_fields(instance: models.Model) -> None:
    """Refuse text that its column cannot hold (PostgreSQL would raise a DataError, SQLite would
    store it): every CharField holding a str longer than its ``max_length``."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        max_length = getattr(field, "max_length", None)
        is_text = isinstance(field, models.CharField) and isinstance(value, str)
        if is_text and max_length and len(value) > max_length:
            check_text(value, field.name, max_length)
