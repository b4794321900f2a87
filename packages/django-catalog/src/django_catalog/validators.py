"""Value checks shared by the models, the querysets and the services."""

from __future__ import annotations

from typing import Any

from django_catalog.exceptions import InvalidQuantityError


def check_quantity(quantity: Any) -> None:
    """Refuse anything but a whole number above zero (``True`` is not a quantity)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InvalidQuantityError(quantity)
