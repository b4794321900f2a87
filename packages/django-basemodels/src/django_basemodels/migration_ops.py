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

__all__ = [
    "APPEND_ONLY_BACKENDS",
    "AppendOnly",
    "PostgreSQLOnlySQL",
    "ReplaceAppendOnly",
    "Retention",
]

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

    ``batched=True`` gives the function a second argument, ``max_rows``: it deletes at most that
    many rows, the oldest first, so a large retention runs as several short transactions. NULL
    deletes every row older than the cutoff; less than 1 is refused. On PostgreSQL the argument
    defaults to NULL (``function(timestamptz, integer)``); MariaDB procedures take both.
    """

    def __init__(self, *, function: str, field: str, batched: bool = False) -> None:
        if not isinstance(function, str) or not _SQL_NAME.match(function):
            raise AppendOnlyDeclarationError(
                "Retention function", function, "a lower-case SQL name of at most 63 characters"
            )
        if not isinstance(field, str) or not field:
            raise AppendOnlyDeclarationError("Retention field", field, "a field name")
        if not isinstance(batched, bool):
            raise AppendOnlyDeclarationError("Retention batched", batched, "True or False")
        self.function = function
        self.field = field
        self.batched = batched

    def _key(self) -> tuple[str, str, bool]:
        return (self.function, self.field, self.batched)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Retention) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


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
            retention = RetentionSpec(
                function=self.retention.function, column=column, batched=self.retention.batched
            )
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


class ReplaceAppendOnly(Operation):
    """Swap one table's installed declaration ``previous`` for ``current`` (both ``AppendOnly``
    of the same model), e.g. to change its retention function. Forwards removes ``previous``
    and installs ``current`` on each database where it applies; backwards does the opposite.
    On PostgreSQL both happen in the migration's transaction; MariaDB commits each DDL
    statement, so there its triggers are briefly absent while the migration runs."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, previous: AppendOnly, current: AppendOnly) -> None:
        for label, declaration in (("previous", previous), ("current", current)):
            if not isinstance(declaration, AppendOnly):
                raise AppendOnlyDeclarationError(
                    f"ReplaceAppendOnly {label}", declaration, "an AppendOnly(...)"
                )
        if previous.model_name.lower() != current.model_name.lower():
            raise AppendOnlyDeclarationError(
                "ReplaceAppendOnly current", current.model_name, f"the model {previous.model_name}"
            )
        self.previous = previous
        self.current = current

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def _swap(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        state: ProjectState,
        removed: AppendOnly,
        installed: AppendOnly,
    ) -> None:
        model = state.apps.get_model(app_label, removed.model_name)
        old_backend = removed._backend(schema_editor)
        if old_backend is not None:
            old_backend.uninstall(schema_editor, removed.resolve(model))
        new_backend = installed._backend(schema_editor)
        if new_backend is not None:
            new_backend.install(schema_editor, installed.resolve(model))

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._swap(app_label, schema_editor, to_state, self.previous, self.current)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._swap(app_label, schema_editor, to_state, self.current, self.previous)

    def describe(self) -> str:
        return f"Replace the append-only declaration of {self.current.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.current.model_name.lower()}_append_only_replaced"


def _is_nullable_key(field: models.Field[Any, Any]) -> bool:
    return bool(field.is_relation and field.many_to_one and field.null)


def _is_datetime(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateTimeField)
