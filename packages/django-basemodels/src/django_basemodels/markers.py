"""Django's method markers, ``alters_data`` and ``queryset_only``, as typed decorators.

Django reads them as attributes of a method; a type checker does not let a function be given
attributes, so every package writes them through these two instead of ``# type: ignore``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Method = TypeVar("Method", bound=Callable[..., Any])


def alters_data(method: Method) -> Method:
    """Templates never call it, and ``as_manager()`` knows it writes (Django's ``alters_data``)."""
    method.__dict__["alters_data"] = True
    return method


def queryset_only(method: Method) -> Method:
    """Managers do not copy it from the queryset, so ``Manager.delete()`` does not exist, as in
    Django (Django's ``queryset_only``)."""
    method.__dict__["queryset_only"] = True
    return method
