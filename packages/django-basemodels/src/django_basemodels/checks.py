"""System checks of django-basemodels.

``basemodels.W001``: a soft-deletable model has a unique field, ``unique_together`` or an
unconditional ``UniqueConstraint``. A soft-deleted row still holds its value, so a new row with the
same value is refused although the old one looks gone. Primary keys are not flagged.

``basemodels.W003``: a soft-deletable model declares Django's ``UniqueConstraint`` with a
condition. MariaDB and MySQL do not create it (Django's models.W036), so the uniqueness would hold
there in Python at best; ``ConditionalUniqueConstraint`` holds on every database.

``basemodels.W002``: a soft-deletable model's default manager is not a ``SoftDeleteManager`` of
alive rows, so ``Model.objects`` and related managers would show soft-deleted rows.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks
from django.db import models

from django_basemodels.cascade import is_soft_deletable
from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.query import SoftDeleteManager

UNIQUE_HINT = (
    "Declare the uniqueness as ConditionalUniqueConstraint(fields=[...], name=..., "
    "condition=models.Q(deleted_at__isnull=True)) (django_basemodels.constraints) in "
    "Meta.constraints, so that it only applies to rows that are not soft-deleted."
)
PORTABLE_HINT = (
    "Use django_basemodels.constraints.ConditionalUniqueConstraint with the same fields, "
    "condition and name: a partial unique index where the database has them, a generated "
    "column under a unique index on MariaDB and MySQL."
)


@checks.register(checks.Tags.models)
def check_soft_deletable_models(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if app_configs is None:
        candidates = apps.get_models()
    else:
        candidates = [model for config in app_configs for model in config.get_models()]
    messages: list[checks.CheckMessage] = []
    for model in candidates:
        if is_soft_deletable(model) and not model._meta.proxy:
            messages.extend(_unconditional_uniqueness(model))
            messages.extend(_conditions_mariadb_skips(model))
            messages.extend(_default_manager(model))
    return messages


def _unconditional_uniqueness(model: type[models.Model]) -> list[checks.Warning]:
    label = model._meta.label
    found = [
        f"field '{field.name}' has unique=True"
        for field in model._meta.local_concrete_fields
        if field.unique and not field.primary_key
    ]
    found += [f"unique_together {tuple(names)!r}" for names in model._meta.unique_together]
    found += [
        f"UniqueConstraint '{constraint.name}' has no condition"
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
    ]
    return [
        checks.Warning(
            f"{label} is soft-deletable but {what}: a soft-deleted row keeps blocking its value.",
            hint=UNIQUE_HINT,
            obj=model,
            id="basemodels.W001",
        )
        for what in found
    ]


def _conditions_mariadb_skips(model: type[models.Model]) -> list[checks.Warning]:
    return [
        checks.Warning(
            f"{model._meta.label}'s UniqueConstraint '{constraint.name}' has a condition, "
            "which MariaDB and MySQL do not create: the uniqueness would not hold there.",
            hint=PORTABLE_HINT,
            obj=model,
            id="basemodels.W003",
        )
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is not None
        and not isinstance(constraint, ConditionalUniqueConstraint)
    ]


def _default_manager(model: type[models.Model]) -> list[checks.Warning]:
    manager = model._default_manager
    if isinstance(manager, SoftDeleteManager) and manager.rows == "alive":
        return []
    return [
        checks.Warning(
            f"{model._meta.label}'s default manager '{manager.name}' is a "
            f"{type(manager).__name__}, which shows soft-deleted rows.",
            hint=(
                "Declare it as SoftDeleteManager() or, with your own QuerySet class, "
                "SoftDeleteManager.from_queryset(YourQuerySet)() (django_basemodels.query), "
                "without rows=."
            ),
            obj=model,
            id="basemodels.W002",
        )
    ]
