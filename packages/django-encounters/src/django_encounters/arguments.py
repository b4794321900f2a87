"""Checks of the values callers hand to the package.

A wrong kind of value fails at once with ``InvalidArgumentError`` naming it and what was expected,
instead of deep inside Django (``AttributeError``, a naive-datetime warning) or the database
(``DataError``, a raw ``IntegrityError``), and always before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from django_encounters.exceptions import InvalidArgumentError


def saved_instance(name: str, value: Any, model: type[models.Model] | None = None) -> None:
    """``value`` is a saved instance of ``model`` (of any model when ``model`` is None)."""
    kind = model or models.Model
    if isinstance(value, kind) and not value._state.adding and value.pk is not None:
        return
    label = "model instance" if model is None else model.__name__
    raise InvalidArgumentError(name, value, f"a saved {label}")


def optional_saved_instance(name: str, value: Any, model: type[models.Model]) -> None:
    if value is not None:
        saved_instance(name, value, model)


def aware_datetime(name: str, value: Any, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise InvalidArgumentError(
            name, value, "a timezone-aware datetime" + (" or None" if optional else "")
        )


def text(name: str, value: Any, max_length: int | None = None) -> None:
    if not isinstance(value, str):
        raise InvalidArgumentError(name, value, "a string")
    if max_length is not None and len(value) > max_length:
        raise InvalidArgumentError(name, value, f"at most {max_length} characters")


def flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidArgumentError(name, value, "True or False")


def json_object(name: str, value: Any, *, optional: bool = True) -> None:
    """A dict that JSON can hold: no NaN or infinity, which PostgreSQL's jsonb refuses."""
    if value is None and optional:
        return
    if not isinstance(value, dict):
        raise InvalidArgumentError(name, value, "a dict (a JSON object)")
    try:
        json.dumps(value, cls=DjangoJSONEncoder, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(
            name, value, f"JSON-able values, finite numbers only ({error})"
        ) from error


def field_values(instance: models.Model, names: Iterable[str]) -> None:
    """Check the loaded values of the named fields against their model fields.

    Text fits its column (SQLite would store an over-long string, PostgreSQL raise
    ``DataError``); datetimes are aware (Django would only warn); ``metadata`` is a dict.
    Expressions (``F()``, ``Now()``) are left to the database.
    """
    wanted = set(names)
    for field in instance._meta.concrete_fields:
        if field.name not in wanted or field.attname not in instance.__dict__:
            continue
        value = instance.__dict__[field.attname]
        if hasattr(value, "resolve_expression") or (value is None and field.null):
            continue
        label = f"{type(instance).__name__}.{field.name}"
        if isinstance(field, models.DateTimeField):
            aware_datetime(label, value, optional=False)
        elif isinstance(field, (models.CharField, models.TextField)):
            text(label, value, field.max_length)
        elif field.name == "metadata":
            json_object(label, value, optional=False)


def related_saved(instance: models.Model, names: Iterable[str]) -> None:
    """The related objects assigned to ``names`` (foreign keys) are saved, or None."""
    for name in names:
        field = instance._meta.get_field(name)
        if field.is_cached(instance):  # type: ignore[union-attr]
            related = field.get_cached_value(instance)  # type: ignore[union-attr]
            if related is not None:
                saved_instance(f"{type(instance).__name__}.{name}", related, type(related))


def not_in_future(name: str, moment: datetime) -> None:
    """``moment`` is no later than now plus the clock-skew tolerance.

    A moment in the future would become the time the current state was entered, and every later
    move (which may not be earlier) would wait for it: the encounter would be locked until then.
    """
    from django_encounters import conf

    tolerance = conf.get("ENCOUNTERS_CLOCK_SKEW_TOLERANCE")
    latest = timezone.now() + tolerance
    if moment > latest:
        raise InvalidArgumentError(
            name, moment, f"a moment no later than now plus {tolerance} (clock-skew tolerance)"
        )
