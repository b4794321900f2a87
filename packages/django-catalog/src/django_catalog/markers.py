"""Typed stand-ins for Django's method markers (``alters_data``, ``queryset_only``), which the
type checker does not allow to be set as attributes on a function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Method = TypeVar("Method", bound=Callable[..., Any])


def alters_data(method: Method) -> Method:
    """Templates never call it (Django's ``alters_data``)."""
    method.__dict__["alters_data"] = True
    return method


def queryset_only(method: Method) -> Method:
    """Managers do not copy it from the queryset (Django's ``queryset_only``)."""
    method.__dict__["queryset_only"] = True
    return method
