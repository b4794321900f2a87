"""Checks of the values written to a singleton row, so that bad input is refused with
``SingletonValueError`` before the database sees it (and the same on every database: SQLite
would store an over-long string that PostgreSQL refuses)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.utils import timezone

from django_singleton.exceptions import SingletonValueError


def check_alias(model: type[models.Model], using: Any) -> None:
    """``using`` must name a database in ``DATABASES`` (``None`` means the router's choice)."""
    if using is not None and (not isinstance(using, str) or using not in connections):
        raise SingletonValueError(
            model, "using", using, f"a database alias, one of {sorted(connections.settings)}"
        )


def check_instance(instance: models.Model) -> None:
    """Every concrete field of ``instance`` holds a value its column can take."""
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, models.ForeignObject) and field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk is None:
                raise SingletonValueError(
                    type(instance), field.name, related, "a saved object (its pk is None)"
                )
        check_value(type(instance), field, getattr(instance, field.attname))


def check_update(model: type[models.Model], values: dict[str, Any]) -> None:
    """The keyword arguments of ``QuerySet.update()`` name fields and hold storable values."""
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            names = sorted(f.name for f in model._meta.concrete_fields)
            raise SingletonValueError(model, name, value, f"a field, one of {names}") from None
        if isinstance(field, models.Field) and field.concrete:
            if field.is_relation and isinstance(value, models.Model):
                if value.pk is None:
                    raise SingletonValueError(model, name, value, "a saved object")
                continue
            check_value(model, field, value)


def check_value(model: type[models.Model], field: models.Field[Any, Any], value: Any) -> None:
    if hasattr(value, "resolve_expression"):
        return  # computed by the database
    if value is None:
        if not field.null:
            raise SingletonValueError(model, field.name, value, "a value (the field is NOT NULL)")
        return
    try:
        cleaned = field.to_python(value)
        if not field.is_relation:
            field.run_validators(cleaned)
    except ValidationError as error:
        raise SingletonValueError(model, field.name, value, " ".join(error.messages)) from None
    if isinstance(cleaned, datetime) and settings.USE_TZ and timezone.is_naive(cleaned):
        raise SingletonValueError(model, field.name, value, "an aware datetime (USE_TZ is on)")
