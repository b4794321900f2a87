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
