"""Checks of the values written to ``Role`` and ``UserRole``, shared by ``save()``, the bulk
paths and ``QuerySet.update()``.

The database refuses some of these values itself (a level outside 1-100, a string too long for
its column on PostgreSQL and MariaDB); SQLite refuses few of them. Checking in Python first gives
every database the same answer: ``InvalidArgumentError`` / ``InvalidHierarchyLevelError`` naming
the value, before anything is written.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from django_rbac.conf import MAX_LEVEL, MIN_LEVEL, is_valid_level
from django_rbac.exceptions import InvalidArgumentError, InvalidHierarchyLevelError

NAME_MAX_LENGTH = 100
SLUG_MAX_LENGTH = 100
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def check_level(level: Any) -> None:
    if not is_valid_level(level):
        raise InvalidHierarchyLevelError(level, MIN_LEVEL, MAX_LEVEL)


def _is_expression(value: Any) -> bool:
    return hasattr(value, "resolve_expression")


def _check_text(field: str, value: Any, max_length: int, pattern: re.Pattern[str] | None) -> None:
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidArgumentError(
            field, value, f"a non-empty string of at most {max_length} characters"
        )
    if pattern is not None and not pattern.match(value):
        raise InvalidArgumentError(field, value, "letters, digits, hyphens and underscores only")


def _check_bool(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgumentError(field, value, "True or False")


def _check_datetime(field: str, value: Any, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, datetime) or timezone.is_naive(value):
        expected = "a timezone-aware datetime" + ("" if required else " or None")
        raise InvalidArgumentError(field, value, expected)


def _plain(values: dict[str, Any]) -> list[tuple[str, Any]]:
    # F(), Subquery() and friends are resolved by the database; its constraints still apply.
    return [(field, value) for field, value in values.items() if not _is_expression(value)]


def check_role_values(values: dict[str, Any]) -> None:
    """Check the plain values among ``values`` (field name to value) meant for ``Role``."""
    for field, value in _plain(values):
        if field == "name":
            _check_text(field, value, NAME_MAX_LENGTH, None)
        elif field == "slug":
            _check_text(field, value, SLUG_MAX_LENGTH, _SLUG)
        elif field == "description" and not isinstance(value, str):
            raise InvalidArgumentError(field, value, "a string")
        elif field == "hierarchy_level":
            check_level(value)
        elif field == "is_active":
            _check_bool(field, value)


def check_assignment_values(values: dict[str, Any]) -> None:
    """Check the plain values among ``values`` (field name to value) meant for ``UserRole``."""
    for field, value in _plain(values):
        if field == "valid_from":
            _check_datetime(field, value, required=True)
        elif field in ("valid_to", "revoked_at"):
            _check_datetime(field, value, required=False)
        elif field == "is_primary":
            _check_bool(field, value)
