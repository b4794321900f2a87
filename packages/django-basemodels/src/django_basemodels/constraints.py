"""``ConditionalUniqueConstraint``: a uniqueness that only counts some rows, on every database.

Declared like Django's ``UniqueConstraint`` with a condition::

    from django_basemodels.constraints import ConditionalUniqueConstraint

    class Meta:
        constraints = [
            ConditionalUniqueConstraint(
                fields=["slug"], condition=Q(deleted_at__isnull=True), name="role_live_slug"
            )
        ]

On PostgreSQL and SQLite it is exactly Django's partial unique index
(``CREATE UNIQUE INDEX name ON table (slug) WHERE deleted_at IS NULL``), so the queries that
index serves are served as before.

MariaDB (and MySQL) have no partial indexes; Django skips the constraint there (models.W036).
Instead, the migration gives the table one invisible generated column, named like the
constraint, that holds 1 while the row counts and NULL otherwise, and a unique index over the
fields plus that column::

    ALTER TABLE table
        ADD COLUMN name tinyint AS (CASE WHEN <condition> THEN 1 END) STORED INVISIBLE,
        ADD CONSTRAINT name UNIQUE (slug, name)

NULLs never collide in a unique index, so only rows that count are compared. The column is not
part of the model: forms, serializers, ``values()`` and ``SELECT *`` never see it, and no write
can set it. It depends on no field's type, so altering a field leaves it valid. ``STORED``
rather than ``VIRTUAL``: the index then reads a value kept in the row instead of one InnoDB
computes on the fly; the price is one byte per row.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Columns, Statement, Table

from django_basemodels.exceptions import ConstraintDeclarationError, ExistingDuplicateError

__all__ = [
    "ConditionalUniqueConstraint",
    "conditional_uniqueness_enforced",
    "uses_generated_column",
]

# Django's "unique constraint with a condition is not created on this database" warning.
NOT_CREATED_WARNING = "models.W036"


def uses_generated_column(connection: BaseDatabaseWrapper) -> bool:
    """Whether ``ConditionalUniqueConstraint`` is enforced through a generated column on this
    database (MariaDB and MySQL) instead of a partial unique index."""
    return connection.vendor == "mysql" and not connection.features.supports_partial_indexes


def conditional_uniqueness_enforced(connection: BaseDatabaseWrapper) -> bool:
    """Whether this database enforces a ``ConditionalUniqueConstraint`` (PostgreSQL, SQLite,
    MariaDB, MySQL); elsewhere only Python's checks hold it."""
    return connection.features.supports_partial_indexes or uses_generated_column(connection)


class ConditionalUniqueConstraint(models.UniqueConstraint):
    """``fields`` are unique among the rows for which ``condition`` holds, enforced by the
    database on PostgreSQL, SQLite, MariaDB and MySQL.

    ``condition`` may only use the model's own columns and what a generated column allows
    (comparisons, ``IS NULL``, ``IN``; no subqueries, no functions of the clock).
    """

    def __init__(
        self,
        *,
        fields: list[str] | tuple[str, ...],
        condition: models.Q,
        name: str,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if not _is_field_list(fields):
            raise ConstraintDeclarationError(
                "ConditionalUniqueConstraint fields", fields, "a non-empty list of field names"
            )
        if not isinstance(condition, models.Q) or not condition:
            raise ConstraintDeclarationError(
                "ConditionalUniqueConstraint condition", condition, "a non-empty Q(...)"
            )
        super().__init__(
            fields=fields,
            condition=condition,
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    def __eq__(self, other: object) -> bool:
        # A plain UniqueConstraint with the same arguments is not equal: the migration that
        # turns one into the other must not be skipped.
        return isinstance(other, ConditionalUniqueConstraint) and super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # as UniqueConstraint: mutable, compared by value

    # None, as Django's own UniqueConstraint returns for an index it creates after the table
    # (the stubs say str).
    def constraint_sql(  # type: ignore[override]
        self, model: type[models.Model] | None, schema_editor: BaseDatabaseSchemaEditor | None
    ) -> str | None:
        """Inside CREATE TABLE: the generated column and its index come after the table."""
        assert model is not None
        assert schema_editor is not None
        if not uses_generated_column(schema_editor.connection):
            sql: str | None = super().constraint_sql(model, schema_editor)
            return sql
        # A new table has no rows to check.
        schema_editor.deferred_sql.append(self._generated_column_sql(model, schema_editor))
        return None

    def create_sql(
        self, model: type[models.Model] | None, schema_editor: BaseDatabaseSchemaEditor | None
    ) -> Any:
        assert model is not None
        assert schema_editor is not None
        if not uses_generated_column(schema_editor.connection):
            return super().create_sql(model, schema_editor)
        if not schema_editor.collect_sql:  # sqlmigrate only prints: nothing to read yet
            self._refuse_existing_duplicates(model, schema_editor)
        return self._generated_column_sql(model, schema_editor)

    def _generated_column_sql(
        self, model: type[models.Model], schema_editor: BaseDatabaseSchemaEditor
    ) -> Statement:
        quote = schema_editor.quote_name
        # Django's own compilation of the condition, as for the partial index's WHERE.
        condition = self._get_condition_sql(model, schema_editor)  # type: ignore[attr-defined]
        column_of = {field.name: field.column for field in model._meta.concrete_fields}
        columns = [str(column_of[name]) for name in self.fields]
        return Statement(
            "ALTER TABLE %(table)s ADD COLUMN %(flag)s tinyint "
            "AS (CASE WHEN %(condition)s THEN 1 END) STORED INVISIBLE, "
            "ADD CONSTRAINT %(name)s UNIQUE (%(columns)s, %(flag)s)",
            table=Table(model._meta.db_table, quote),
            flag=quote(self.name),
            condition=condition,
            name=quote(self.name),
            columns=Columns(model._meta.db_table, columns, quote),
        )

    def _refuse_existing_duplicates(
        self, model: type[models.Model], schema_editor: BaseDatabaseSchemaEditor
    ) -> None:
        """MariaDB reports rows that already break the uniqueness as an unrelated foreign-key
        error (1834) when the table is referenced: look for them first and name them."""
        rows: models.QuerySet[Any] = models.QuerySet(
            model=model, using=schema_editor.connection.alias
        )
        for name in self.fields:  # NULLs never collide
            rows = rows.exclude(**{f"{name}__isnull": True})
        groups = rows.filter(self.condition).order_by().values(*self.fields)
        repeated = next(iter(groups.annotate(rows=models.Count("pk")).filter(rows__gt=1)[:1]), None)
        if repeated is not None:
            values = {name: repeated[name] for name in self.fields}
            raise ExistingDuplicateError(model, self, values, repeated["rows"])

    def remove_sql(
        self, model: type[models.Model] | None, schema_editor: BaseDatabaseSchemaEditor | None
    ) -> Any:
        assert model is not None
        assert schema_editor is not None
        if not uses_generated_column(schema_editor.connection):
            return super().remove_sql(model, schema_editor)
        quote = schema_editor.quote_name
        return Statement(
            "ALTER TABLE %(table)s DROP INDEX %(name)s, DROP COLUMN %(name)s",
            table=Table(model._meta.db_table, quote),
            name=quote(self.name),
        )

    def check(self, model: type[models.Model], connection: BaseDatabaseWrapper) -> list[Any]:
        """Django's checks of a unique constraint, less W036 where the generated column
        enforces the condition."""
        django_checks = getattr(super(), "check", None) or super()._check  # type: ignore[misc]
        messages: list[checks.CheckMessage] = django_checks(model, connection)
        if uses_generated_column(connection):
            messages = [message for message in messages if message.id != NOT_CREATED_WARNING]
        return messages

    _check = check  # the name Django 5.2 calls; 6.0 calls check()


def _is_field_list(fields: object) -> bool:
    return (
        isinstance(fields, list | tuple)
        and bool(fields)
        and all(isinstance(field, str) and field for field in fields)
    )
