"""The attributes Django reads on methods, set in a way type checkers accept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def alters_data(method: F) -> F:
    """Templates never call it; ``QuerySet.as_manager()`` and friends know it writes."""
    method.__dict__["alters_data"] = True
    return method


def queryset_only(method: F) -> F:
    """Not copied onto managers (``Manager.delete()`` must not exist, as in Django)."""
    method.__dict__["queryset_only"] = True
    return method
