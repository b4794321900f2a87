"""Checks of the values written to the module models, shared by ``save()``, the bulk paths and
``QuerySet.update()``.

The database refuses some bad values itself (NULL in a NOT NULL column, a string too long for its
column on PostgreSQL and MariaDB), SQLite few of them, and some reach the driver as a bare
``TypeError``. Checking in Python first gives every database the same answer,
``InvalidArgumentError`` naming the field, the value and what was expected, before any SQL.
The checks follow each field's declaration, so a new field is covered without a new rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from django_modules.exceptions import InvalidArgumentError


def is_expression(value: Any) -> bool:
    """F(), Subquery() and friends: the database computes them and its constraints still apply."""
    return hasattr(value, "resolve_expression")


def _expected_text(field: models.Field[Any, Any]) -> str:
    limit = f" of at most {field.max_length} characters" if field.max_length else ""
    return f"a {'non-empty ' if not field.blank else ''}string{limit}"


def check_value(field: models.Field[Any, Any], value: Any, name: str | None = None) -> None:
    """Raise ``InvalidArgumentError`` unless ``value`` can be written to the column of ``field``."""
    name = name or field.name
    if is_expression(value):
        return
    if value is None:
        if not field.null:
            raise InvalidArgumentError(name, value, f"a value ({name} cannot be empty)")
        return
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "True or False")
    elif isinstance(field, models.DateTimeField):
        if not isinstance(value, datetime) or (settings.USE_TZ and timezone.is_naive(value)):
            raise InvalidArgumentError(name, value, "a timezone-aware datetime")
    elif isinstance(field, models.DateField):
        check_date(name, value)
    elif isinstance(field, models.CharField | models.TextField):
        _check_text(field, value, name)


def check_date(name: str, value: Any) -> None:
    """A ``date`` and not a ``datetime`` (which would be cut to a day in some time zone)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgumentError(name, value, "a datetime.date (not a datetime, not a string)")


def _check_text(field: models.Field[Any, Any], value: Any, name: str) -> None:
    expected = _expected_text(field)
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidArgumentError(name, value, f"{expected} without NUL characters")
    if (not field.blank and not value) or (field.max_length and len(value) > field.max_length):
        raise InvalidArgumentError(name, value, expected)
    try:
        field.run_validators(value)  # EmailField's address check, among others
    except ValidationError as error:
        raise InvalidArgumentError(name, value, " ".join(error.messages)) from error


def _target_model(field: models.ForeignKey[Any, Any]) -> type[models.Model]:
    """The model ``field`` points at. The stubs allow the lazy ``"self"``, but once the app
    registry is ready (before any write) Django has resolved it to the class."""
    return cast(type[models.Model], field.related_model)


def check_related(field: models.ForeignKey[Any, Any], value: Any, name: str) -> None:
    """A related object that is saved and of the right model, or a key of the right type."""
    target = _target_model(field)
    if isinstance(value, models.Model):
        if not isinstance(value, target) or value.pk is None or value._state.adding:
            raise InvalidArgumentError(name, value, f"a saved {target._meta.label}")
        return
    if value is None:
        check_value(field, value, name)
        return
    try:
        field.target_field.to_python(value)
    except (ValidationError, TypeError, ValueError) as error:
        raise InvalidArgumentError(name, value, f"the key of a {target._meta.label}") from error


def check_instance(obj: models.Model, only: Iterable[str] | None = None) -> None:
    """Check every written field of ``obj`` (or those named in ``only``, as ``update_fields``)."""
    wanted = None if only is None else set(only)
    for field in obj._meta.concrete_fields:
        if wanted is not None and field.name not in wanted and field.attname not in wanted:
            continue
        set_by_django = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.primary_key or set_by_django:
            continue
        if isinstance(field, models.ForeignKey):
            cached = field.get_cached_value(obj, None) if field.is_cached(obj) else None
            value = cached if cached is not None else getattr(obj, field.attname)
            check_related(field, value, field.name)
        else:
            check_value(field, getattr(obj, field.attname))


def _check_key_exists(field: models.ForeignKey[Any, Any], value: Any, name: str) -> None:
    """A bare key given to ``update()`` names an existing row (one query, only for a bare key).

    The database checks foreign keys only at commit, where the error can no longer be told
    apart from the rest of the transaction.
    """
    if value is None or isinstance(value, models.Model):
        return
    target = _target_model(field)
    if not target._base_manager.filter(pk=value).exists():
        raise InvalidArgumentError(name, value, f"the key of an existing {target._meta.label}")


def _field_named(model: type[models.Model], name: str) -> Any:
    """The field called ``name`` (or whose column attribute is ``name``, as ``person_id``)."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return next((f for f in model._meta.concrete_fields if f.attname == name), None)


def check_update_values(model: type[models.Model], values: dict[str, Any]) -> None:
    """Check the plain values of ``QuerySet.update(**values)``; expressions are left alone."""
    for name, value in values.items():
        field = _field_named(model, name)
        if field is None:
            raise InvalidArgumentError(name, value, f"a field of {model.__name__} (no such field)")
        if isinstance(field, models.ForeignKey):
            if not is_expression(value):
                check_related(field, value, name)
                _check_key_exists(field, value, name)
        elif isinstance(field, models.Field):
            check_value(field, value, name)
