"""Checks of the values written to the party models, shared by ``save()``, the bulk paths and
``QuerySet.update()``.

The checks themselves are django_basemodels' :class:`~django_basemodels.validation.FieldValueChecks`
(the same in every package), raising this package's ``InvalidArgumentError``. What is particular
to parties: the fields a model lists in ``NAME_FIELDS`` may be empty here, because the name rule
reports a party without a name in its own words (``MissingNameError``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from django_basemodels.validation import FieldValueChecks, is_expression
from django_parties.exceptions import InvalidArgumentError

__all__ = ["check_date", "check_instance", "check_update_values", "is_expression"]

_checks = FieldValueChecks(InvalidArgumentError)
check_date = _checks.check_date


def check_instance(obj: models.Model, only: Iterable[str] | None = None) -> None:
    """Check every written field of ``obj`` (or those named in ``only``, as ``update_fields``)."""
    _checks.check_instance(obj, only, may_be_empty=getattr(obj, "NAME_FIELDS", ()))


def check_update_values(model: type[models.Model], values: dict[str, Any]) -> None:
    """Check the plain values of ``QuerySet.update(**values)``; expressions are left alone."""
    _checks.check_update_values(model, values, may_be_empty=getattr(model, "NAME_FIELDS", ()))
