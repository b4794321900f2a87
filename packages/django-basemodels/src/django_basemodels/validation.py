"""Checks of the values a package writes to its models, read from each field's declaration.

The database refuses some bad values itself (NULL in a NOT NULL column, a string too long for its
column on PostgreSQL and MariaDB), SQLite few of them, and some reach the driver as a bare
``TypeError``. Checking in Python first gives every database the same answer before any SQL:
the package's own error naming the field, the value and what was expected. The checks follow
each field's declaration, so a new field is covered without a new rule.

A package makes one :class:`FieldValueChecks` with its own error class and calls it from
``save()``, its bulk paths and ``QuerySet.update()``::

    checks = FieldValueChecks(InvalidArgumentError)
    checks.check_instance(obj, update_fields)
    checks.check_update_values(Model, values)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

ErrorFactory = Callable[[str, Any, str], Exception]
"""Builds the exception to raise from ``(name, value, expected)``: typically the package's
``InvalidArgumentError`` class itself."""


def is_expression(value: Any) -> bool:
    """F(), Subquery() and friends: the database computes them and its constraints still apply."""
    return hasattr(value, "resolve_expression")


def related_model(field: models.ForeignKey[Any, Any]) -> type[models.Model]:
    """The model ``field`` points at. The stubs allow the lazy ``"self"``, but once the app
    registry is ready (before any write) Django has resolved it to the class."""
    return cast(type[models.Model], field.related_model)


def _expected_text(field: models.Field[Any, Any]) -> str:
    limit = f" of at most {field.max_length} characters" if field.max_length else ""
    return f"a {'non-empty ' if not field.blank else ''}string{limit}"


class FieldValueChecks:
    """Value checks that raise ``error(name, value, expected)`` for a value a field cannot take.

    Expressions are let through (the database computes them and its constraints still apply).
    ``may_be_empty`` names fields whose empty string a package reports in its own words, with
    a more specific error of its own, after these checks.
    """

    def __init__(self, error: ErrorFactory) -> None:
        self.error = error

    def check_value(
        self,
        field: models.Field[Any, Any],
        value: Any,
        name: str | None = None,
        *,
        allow_empty: bool = False,
    ) -> None:
        """Raise unless ``value`` can be written to the column of ``field``."""
        name = name or field.name
        if is_expression(value):
            return
        if value is None:
            if not field.null:
                raise self.error(name, value, f"a value ({name} cannot be empty)")
            return
        if isinstance(field, models.BooleanField):
            if not isinstance(value, bool):
                raise self.error(name, value, "True or False")
        elif isinstance(field, models.DateTimeField):
            if not isinstance(value, datetime) or (settings.USE_TZ and timezone.is_naive(value)):
                raise self.error(name, value, "a timezone-aware datetime")
        elif isinstance(field, models.DateField):
            self.check_date(name, value)
        elif isinstance(field, models.CharField | models.TextField):
            self._check_text(field, value, name, allow_empty)

    def check_date(self, name: str, value: Any) -> None:
        """A ``date`` and not a ``datetime`` (which would be cut to a day in some time zone)."""
        if not isinstance(value, date) or isinstance(value, datetime):
            raise self.error(name, value, "a datetime.date (not a datetime, not a string)")

    def _check_text(
        self, field: models.Field[Any, Any], value: Any, name: str, allow_empty: bool
    ) -> None:
        expected = _expected_text(field)
        if not isinstance(value, str) or "\x00" in value:
            raise self.error(name, value, f"{expected} without NUL characters")
        if (not field.blank and not value and not allow_empty) or (
            field.max_length and len(value) > field.max_length
        ):
            raise self.error(name, value, expected)
        try:
            field.run_validators(value)  # EmailField's address check, among others
        except ValidationError as error:
            raise self.error(name, value, " ".join(error.messages)) from error

    def check_related(self, field: models.ForeignKey[Any, Any], value: Any, name: str) -> None:
        """A related object that is saved and of the right model, or a key of the right type."""
        target = related_model(field)
        if isinstance(value, models.Model):
            if not isinstance(value, target) or value.pk is None or value._state.adding:
                raise self.error(name, value, f"a saved {target._meta.label}")
            return
        if value is None:
            self.check_value(field, value, name)
            return
        try:
            field.target_field.to_python(value)
        except (ValidationError, TypeError, ValueError) as error:
            raise self.error(name, value, f"the key of a {target._meta.label}") from error

    def check_instance(
        self,
        obj: models.Model,
        only: Iterable[str] | None = None,
        *,
        may_be_empty: Collection[str] = (),
    ) -> None:
        """Check every written field of ``obj`` (or those named in ``only``, as
        ``update_fields``); primary keys and fields Django stamps itself are left out."""
        wanted = None if only is None else set(only)
        for field in obj._meta.concrete_fields:
            if wanted is not None and field.name not in wanted and field.attname not in wanted:
                continue
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if field.primary_key or stamped:
                continue
            if isinstance(field, models.ForeignKey):
                cached = field.get_cached_value(obj, None) if field.is_cached(obj) else None
                value = cached if cached is not None else getattr(obj, field.attname)
                self.check_related(field, value, field.name)
            else:
                value = getattr(obj, field.attname)
                self.check_value(field, value, allow_empty=field.name in may_be_empty)

    def check_update_values(
        self,
        model: type[models.Model],
        values: dict[str, Any],
        *,
        may_be_empty: Collection[str] = (),
    ) -> None:
        """Check the plain values of ``QuerySet.update(**values)``; expressions are left alone.

        A bare key for a foreign key costs one query: the database checks foreign keys only at
        commit, where the error can no longer be told apart from the rest of the transaction.
        """
        for name, value in values.items():
            field = _field_named(model, name)
            if field is None:
                raise self.error(name, value, f"a field of {model.__name__} (no such field)")
            if isinstance(field, models.ForeignKey):
                if not is_expression(value):
                    self.check_related(field, value, name)
                    self._check_key_exists(field, value, name)
            elif isinstance(field, models.Field):
                self.check_value(field, value, name, allow_empty=field.name in may_be_empty)

    def _check_key_exists(self, field: models.ForeignKey[Any, Any], value: Any, name: str) -> None:
        if value is None or isinstance(value, models.Model):
            return
        target = related_model(field)
        if not target._base_manager.filter(pk=value).exists():
            raise self.error(name, value, f"the key of an existing {target._meta.label}")


def _field_named(model: type[models.Model], name: str) -> Any:
    """The field called ``name`` (or whose column attribute is ``name``, as ``person_id``)."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return next((f for f in model._meta.concrete_fields if f.attname == name), None)
