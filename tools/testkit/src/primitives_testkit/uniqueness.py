"""Helpers for the tests of conditional uniqueness: which constraints an app declares, and
whether the database refused a write because of one of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction


def conditional_unique_constraints(app_label: str) -> dict[str, type[models.UniqueConstraint]]:
    """Every unique constraint with a condition that ``app_label``'s models declare: its name
    and its class."""
    return {
        constraint.name: type(constraint)
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is not None
    }


@contextmanager
def refused_by_unique_constraint(
    model: type[models.Model], name: str, using: str = DEFAULT_DB_ALIAS
) -> Iterator[None]:
    """Expect the block to raise the database's ``IntegrityError`` for ``model``'s unique
    constraint ``name``, and nothing else (another constraint failing instead would prove nothing).

    PostgreSQL and MariaDB name the constraint in the error; SQLite lists its columns as
    ``table.column``. The block runs in a savepoint, so the test can go on afterwards.
    """
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            yield
    except IntegrityError as error:
        message = str(error)
    else:
        raise AssertionError(f"the database accepted what {name} forbids")
    if connection.vendor == "sqlite":
        (constraint,) = [c for c in model._meta.constraints if c.name == name]
        table = model._meta.db_table
        columns = [model._meta.get_field(field).column for field in constraint.fields]  # type: ignore[attr-defined, union-attr]
        expected = ", ".join(f"{table}.{column}" for column in columns)
    else:
        expected = name
    assert expected in message, f"refused, but not by {name}: {message}"
