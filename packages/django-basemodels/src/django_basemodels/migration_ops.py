"""Migration operations shared by every package (and open to host projects).

``AppendOnly`` declares that a model's table only ever gains rows::

    from django_basemodels.migration_ops import AppendOnly, Retention

    operations = [
        AppendOnly(
            "auditlog",
            rows="audit entries",
            hint="Write a new entry instead.",
            set_null=["actor"],  # ON DELETE SET NULL may clear these keys, nothing else
            retention=Retention(function="myapp_prune", field="created_at"),
        ),
    ]

On PostgreSQL it installs triggers that refuse UPDATE, DELETE and TRUNCATE (see
``append_only_postgresql``); on MariaDB triggers that refuse UPDATE and DELETE (TRUNCATE fires no
trigger there; see ``append_only_mariadb``). On SQLite it does nothing: the models' Python guards
stand alone. A database gets its own implementation by adding it to ``APPEND_ONLY_BACKENDS``
under its vendor name. ``vendors=[...]`` limits a declaration to some of them: a migration that
brings one database's triggers to tables declared earlier names only that database.

``PostgreSQLOnlySQL`` is ``RunSQL`` that runs on PostgreSQL and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.utils.deconstruct import deconstructible

from django_basemodels.append_only_mariadb import MariaDBAppendOnly
from django_basemodels.append_only_postgresql import (
    BODY,
    AppendOnlyTable,
    PostgreSQLAppendOnly,
    RetentionSpec,
)
from django_basemodels.exceptions import AppendOnlyDeclarationError

__all__ = ["APPEND_ONLY_BACKENDS", "AppendOnly", "PostgreSQLOnlySQL", "Retention"]

_SQL_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class AppendOnlyBackend(Protocol):
    def install(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None: ...

    def uninstall(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None: ...


# vendor -> implementation; a vendor that is not here gets no database enforcement. Django calls
# MariaDB "mysql"; the MariaDB backend installs nothing on MySQL itself (not supported).
APPEND_ONLY_BACKENDS: dict[str, AppendOnlyBackend] = {
    "postgresql": PostgreSQLAppendOnly(),
    "mysql": MariaDBAppendOnly(),
}


class PostgreSQLOnlySQL(migrations.RunSQL):
    """``RunSQL`` that runs on PostgreSQL and is a no-op on every other database."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


@deconstructible(path="django_basemodels.migration_ops.Retention")
class Retention:
    """Rows may leave only through ``function(cutoff)``, which deletes the rows whose ``field``
    is older than ``cutoff`` and refuses a cutoff in the future.

    On PostgreSQL ``function`` is a ``SECURITY DEFINER`` function owned by the migration's role;
    nobody may execute it until granted (``GRANT EXECUTE ON FUNCTION function(timestamptz)``).
    On MariaDB it is a ``SQL SECURITY DEFINER`` procedure defined by the migration's user, called
    as ``CALL function(cutoff)`` (UTC, as Django stores times there) and answering the number
    deleted; others need ``GRANT EXECUTE ON PROCEDURE db.function``.
    """

    def __init__(self, *, function: str, field: str) -> None:
        if not isinstance(function, str) or not _SQL_NAME.match(function):
            raise AppendOnlyDeclarationError(
                "Retention function", function, "a lower-case SQL name of at most 63 characters"
            )
        if not isinstance(field, str) or not field:
            raise AppendOnlyDeclarationError("Retention field", field, "a field name")
        self.function = function
        self.field = field

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Retention) and (self.function, self.field) == (
            other.function,
            other.field,
        )

    def __hash__(self) -> int:
        return hash((self.function, self.field))


class AppendOnly(Operation):
    """Declare ``model_name``'s table append-only: UPDATE, DELETE and TRUNCATE are refused.

    ``rows`` names the rows in the refusal (``"<OP> on <table> refused: <rows> are
    append-only"``), ``hint`` says what to do instead. The only ways through are the test-database
    flush (``django_basemodels.flush_route``), an UPDATE that only sets ``set_null`` keys to NULL,
    and a DELETE by the ``retention`` function. ``vendors`` (default: every database in
    ``APPEND_ONLY_BACKENDS``) names the databases it installs on. Reversible; it changes no
    model state.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(
        self,
        model_name: str,
        *,
        rows: str,
        hint: str = "",
        set_null: Iterable[str] = (),
        retention: Retention | None = None,
        vendors: Iterable[str] | None = None,
    ) -> None:
        if not isinstance(model_name, str) or not model_name:
            raise AppendOnlyDeclarationError("AppendOnly model_name", model_name, "a model name")
        for label, text in (("rows", rows), ("hint", hint)):
            if not isinstance(text, str) or BODY in text or (label == "rows" and not text):
                raise AppendOnlyDeclarationError(
                    f"AppendOnly {label}", text, f"a non-empty text without {BODY}"
                )
        if isinstance(set_null, str) or not all(isinstance(name, str) for name in set_null):
            raise AppendOnlyDeclarationError("AppendOnly set_null", set_null, "field names")
        if retention is not None and not isinstance(retention, Retention):
            raise AppendOnlyDeclarationError(
                "AppendOnly retention", retention, "a Retention(...) or None"
            )
        chosen = None if vendors is None or isinstance(vendors, str) else tuple(vendors)
        if vendors is not None and (not chosen or not set(chosen) <= set(APPEND_ONLY_BACKENDS)):
            raise AppendOnlyDeclarationError(
                "AppendOnly vendors", vendors, f"some of {sorted(APPEND_ONLY_BACKENDS)}"
            )
        self.model_name = model_name
        self.rows = rows
        self.hint = hint
        self.set_null = tuple(set_null)
        self.retention = retention
        self.vendors = chosen

    def _backend(self, schema_editor: BaseDatabaseSchemaEditor) -> AppendOnlyBackend | None:
        vendor = schema_editor.connection.vendor
        if self.vendors is not None and vendor not in self.vendors:
            return None
        return APPEND_ONLY_BACKENDS.get(vendor)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass  # triggers are not part of the model state

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        spec = self.resolve(to_state.apps.get_model(app_label, self.model_name))
        backend = self._backend(schema_editor)
        if backend is not None:
            backend.install(schema_editor, spec)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        spec = self.resolve(from_state.apps.get_model(app_label, self.model_name))
        backend = self._backend(schema_editor)
        if backend is not None:
            backend.uninstall(schema_editor, spec)

    def resolve(self, model: type[models.Model]) -> AppendOnlyTable:
        """The declaration in database names, checked against ``model``'s fields."""
        set_null_columns = tuple(
            self._column(model, name, "a nullable foreign key", _is_nullable_key)
            for name in self.set_null
        )
        retention = None
        if self.retention is not None:
            column = self._column(model, self.retention.field, "a DateTimeField", _is_datetime)
            retention = RetentionSpec(function=self.retention.function, column=column)
        return AppendOnlyTable(
            table=model._meta.db_table,
            rows=self.rows,
            hint=self.hint,
            set_null_columns=set_null_columns,
            retention=retention,
        )

    def _column(
        self,
        model: type[models.Model],
        name: str,
        expected: str,
        fits: Callable[[models.Field[Any, Any]], bool],
    ) -> str:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if not isinstance(field, models.Field) or field.column is None or not fits(field):
            raise AppendOnlyDeclarationError(
                f"AppendOnly field of {model._meta.label}", name, expected
            )
        return field.column

    def describe(self) -> str:
        return f"Make {self.model_name} append-only (refuse UPDATE, DELETE, TRUNCATE)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_append_only"


def _is_nullable_key(field: models.Field[Any, Any]) -> bool:
    return bool(field.is_relation and field.many_to_one and field.null)


def _is_datetime(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateTimeField)
