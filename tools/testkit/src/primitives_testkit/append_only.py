"""Attack tests for rows that must never change, shared by every package that has such rows.

A package declares the model, a valid row and the change to attempt; the contract tries every
write path on it and checks that each is refused and that the row is exactly as it was::

    class TestDispenseLogIsAppendOnly(AppendOnlyContract):
        model = DispenseLog
        error = ImmutableRecordError                 # what the Python guards raise
        changes = {"quantity": 3}                    # a field and a value it must not take
        rows = "dispense log entries"                # as the AppendOnly(...) migration names them

        @pytest.fixture
        def row(self, filled_basket, user):
            ...                                      # return one saved row

``ImmutableFieldsContract`` covers the change paths only (for rows whose other fields, or whose
deletion, stay open, like work sessions); ``AppendOnlyContract`` adds every delete path and the
PostgreSQL test-flush switch. The paths:

- ORM: ``save()`` of a changed row, ``QuerySet.update()`` with a plain value, a ``Value()``
  expression and an ``F()`` reference, ``bulk_update()``, each through every manager and
  ``_base_manager``; ``delete()`` of the row and of a QuerySet through every manager;
- raw SQL, on the databases whose triggers guard the table (``trigger_vendors``): ``UPDATE``
  with a value and with a subquery, an ``UPDATE`` that pairs a ``set_null`` column's NULL
  (the one change such triggers allow) with a forged value, ``DELETE`` of the row and of the
  table, and on PostgreSQL ``TRUNCATE`` (MariaDB fires no trigger on it: privileges keep it out).

ORM paths must raise ``error`` with a message naming the operation; with ``error = None`` only
the database guards the rows (django-basemodels' test model), and the ORM paths must meet the
trigger's refusal. Raw SQL must meet the trigger's refusal (``trigger_message``).

The module imports django-basemodels (the test-flush switch of its triggers), which every package
with append-only rows depends on; ``primitives_testkit.contracts`` needs no package.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Value

from django_basemodels.flush_route import FLUSH_SWITCH


def run_sql(statement: str, params: Any = ()) -> list[tuple[Any, ...]] | None:
    """One statement in a savepoint: a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else None


class ImmutableFieldsContract:
    """The fields named in ``changes`` never change, whatever the write path."""

    model: ClassVar[type[models.Model]]
    # The package's error for the ORM paths; None when only the database's triggers refuse.
    error: ClassVar[type[Exception] | None]
    # Protected field -> a value it does not hold in ``row``, tried on every path.
    changes: ClassVar[dict[str, Any]]
    # The databases on which triggers refuse the raw SQL paths too.
    trigger_vendors: ClassVar[frozenset[str]] = frozenset({"postgresql", "mysql"})
    # The AppendOnly declaration's ``rows`` ("audit entries"), for its trigger's message.
    rows: ClassVar[str] = ""
    # Foreign keys that the triggers let Django's ON DELETE SET NULL clear, and nothing else.
    set_null: ClassVar[tuple[str, ...]] = ()
    # Managers to write through; None: every manager of the model and ``_base_manager``.
    managers: ClassVar[tuple[str, ...] | None] = None

    @pytest.fixture(autouse=True)
    def _database_access(self, db: None) -> None:
        """Every test uses the database. A subclass whose set-up must commit (DDL on MariaDB)
        marks itself ``pytest.mark.django_db(transaction=True)``: that marker decides."""

    @pytest.fixture
    def row(self) -> models.Model:
        raise NotImplementedError("a subclass returns one saved row of the model")

    # --- what the subclass may override -------------------------------------------------------

    def trigger_message(self, operation: str) -> str:
        """The pattern of the trigger's refusal of ``operation`` (UPDATE, DELETE, TRUNCATE):
        by default the message of ``django_basemodels.migration_ops.AppendOnly``."""
        table = self.model._meta.db_table
        return re.escape(f"{operation} on {table} refused: {self.rows} are append-only")

    # --- parametrisation from the declaration -------------------------------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "field" in metafunc.fixturenames:
            metafunc.parametrize("field", sorted(self.changes))
        if "manager" in metafunc.fixturenames:
            metafunc.parametrize("manager", self.manager_names())
        if "set_null_field" in metafunc.fixturenames:
            # Without a set_null column there is no exception to abuse: the test says so.
            none = pytest.param(None, marks=pytest.mark.skip(reason="no set_null column declared"))
            metafunc.parametrize("set_null_field", self.set_null or [none])

    def manager_names(self) -> list[str]:
        if self.managers is not None:
            return list(self.managers)
        return [manager.name for manager in self.model._meta.managers] + ["_base_manager"]

    # --- helpers ------------------------------------------------------------------------------

    def stored(self, row: models.Model) -> tuple[list[dict[str, Any]], int]:
        """The row's stored values and the table's row count, read past every manager."""
        plain = models.QuerySet(model=self.model)
        return list(plain.filter(pk=row.pk).values()), plain.count()

    def fresh(self, row: models.Model) -> models.Model:
        return models.QuerySet(model=self.model).get(pk=row.pk)

    def refused(self, operation: str) -> Any:
        """``pytest.raises`` for an ORM path: the package's error naming the operation, or the
        trigger's refusal when the database alone guards the rows."""
        if self.error is not None:
            return pytest.raises(self.error, match=re.escape(operation))
        self.skip_without_trigger()
        verb = "DELETE" if operation == "delete" else "UPDATE"
        return pytest.raises(IntegrityError, match=self.trigger_message(verb))

    def refused_by_trigger(self, operation: str) -> Any:
        self.skip_without_trigger()
        return pytest.raises(IntegrityError, match=self.trigger_message(operation))

    def skip_without_trigger(self) -> None:
        if connection.vendor not in self.trigger_vendors:
            pytest.skip(f"no trigger guards {self.model._meta.db_table} on {connection.vendor}")

    def column(self, field: str) -> str:
        return connection.ops.quote_name(self.model._meta.get_field(field).column)

    def column_and_value(self, field: str) -> tuple[str, Any]:
        """The quoted column of ``field`` and its value in ``changes``, ready for raw SQL."""
        model_field = self.model._meta.get_field(field)
        return self.column(field), model_field.get_db_prep_save(self.changes[field], connection)

    def table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    def where_row(self, row: models.Model) -> tuple[str, Any]:
        """``<pk column> = %s`` and the row's key as the database takes it."""
        pk = self.model._meta.pk
        assert pk is not None
        return f"{self.column(pk.name)} = %s", pk.get_db_prep_value(row.pk, connection)

    # --- the ORM paths ------------------------------------------------------------------------

    def test_save_of_a_changed_row_is_refused(self, row: models.Model, field: str) -> None:
        before = self.stored(row)
        changed = self.fresh(row)
        setattr(changed, field, self.changes[field])
        with self.refused("save"), transaction.atomic():
            changed.save()
        assert self.stored(row) == before

    @pytest.mark.parametrize("kind", ["value", "Value()", "F()"])
    def test_queryset_update_is_refused(
        self, row: models.Model, field: str, manager: str, kind: str
    ) -> None:
        before = self.stored(row)
        value = {
            "value": self.changes[field],
            "Value()": Value(self.changes[field], output_field=self.model._meta.get_field(field)),
            "F()": F(field),
        }[kind]
        with self.refused("update"), transaction.atomic():
            getattr(self.model, manager).filter(pk=row.pk).update(**{field: value})
        assert self.stored(row) == before

    def test_bulk_update_is_refused(self, row: models.Model, field: str, manager: str) -> None:
        before = self.stored(row)
        changed = self.fresh(row)
        setattr(changed, field, self.changes[field])
        with self.refused("bulk_update"), transaction.atomic():
            getattr(self.model, manager).bulk_update([changed], [field])
        assert self.stored(row) == before

    # --- raw SQL ------------------------------------------------------------------------------

    @pytest.mark.parametrize("form", ["value", "subquery"])
    def test_raw_update_is_refused(self, row: models.Model, field: str, form: str) -> None:
        before = self.stored(row)
        column, value = self.column_and_value(field)
        assignment = f"{column} = %s" if form == "value" else f"{column} = (SELECT %s)"
        where, key = self.where_row(row)
        with self.refused_by_trigger("UPDATE"):
            run_sql(f"UPDATE {self.table()} SET {assignment} WHERE {where}", [value, key])
        assert self.stored(row) == before

    def test_raw_set_null_cannot_carry_another_change(
        self, row: models.Model, set_null_field: str
    ) -> None:
        before = self.stored(row)
        field = sorted(self.changes)[0]
        column, value = self.column_and_value(field)
        key = self.column(set_null_field)
        with self.refused_by_trigger("UPDATE"):
            run_sql(f"UPDATE {self.table()} SET {key} = NULL, {column} = %s", [value])
        assert self.stored(row) == before


class AppendOnlyContract(ImmutableFieldsContract):
    """Rows are only ever added: no change and no delete on any path."""

    def test_delete_of_the_row_is_refused(self, row: models.Model) -> None:
        before = self.stored(row)
        with self.refused("delete"), transaction.atomic():
            self.fresh(row).delete()
        assert self.stored(row) == before

    def test_queryset_delete_is_refused(self, row: models.Model, manager: str) -> None:
        before = self.stored(row)
        with self.refused("delete"), transaction.atomic():
            getattr(self.model, manager).filter(pk=row.pk).delete()
        assert self.stored(row) == before

    @pytest.mark.parametrize("scope", ["the row", "every row"])
    def test_raw_delete_is_refused(self, row: models.Model, scope: str) -> None:
        before = self.stored(row)
        where, key = self.where_row(row)
        statement, params = (
            (f"DELETE FROM {self.table()} WHERE {where}", [key])
            if scope == "the row"
            else (f"DELETE FROM {self.table()}", [])
        )
        with self.refused_by_trigger("DELETE"):
            run_sql(statement, params)
        assert self.stored(row) == before

    @pytest.mark.parametrize("cascade", ["", " CASCADE"])
    def test_truncate_is_refused_on_postgresql(self, row: models.Model, cascade: str) -> None:
        if connection.vendor != "postgresql":
            pytest.skip(f"TRUNCATE fires no trigger on {connection.vendor}")
        before = self.stored(row)
        run_sql("SET CONSTRAINTS ALL IMMEDIATE")  # meet the trigger, not pending FK checks
        with self.refused_by_trigger("TRUNCATE"):
            run_sql(f"TRUNCATE {self.table()}{cascade}")
        assert self.stored(row) == before

    # --- the test-flush switch (django_basemodels.flush_route), PostgreSQL ---------------------

    @pytest.fixture
    def production_database(self) -> None:
        """This test database without its test-database mark (rolled back with the test)."""
        if connection.vendor != "postgresql":
            pytest.skip("the flush switch is a PostgreSQL session setting")
        (name,) = (run_sql("SELECT current_database()") or [("",)])[0]
        run_sql(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS 'production'")

    @pytest.mark.parametrize("operation", ["DELETE", "TRUNCATE"])
    def test_the_flush_switch_opens_nothing_outside_a_test_database(
        self, production_database: None, row: models.Model, operation: str
    ) -> None:
        before = self.stored(row)
        run_sql("SET CONSTRAINTS ALL IMMEDIATE")
        run_sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
        statement = f"{'DELETE FROM' if operation == 'DELETE' else 'TRUNCATE'} {self.table()}"
        with self.refused_by_trigger(operation):
            run_sql(statement)
        assert self.stored(row) == before

    def test_the_flush_switch_opens_no_delete_even_in_a_test_database(
        self, row: models.Model
    ) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("the flush switch is a PostgreSQL session setting")
        before = self.stored(row)
        run_sql("SELECT set_config(%s, 'on', false)", [FLUSH_SWITCH])
        with self.refused_by_trigger("DELETE"):
            run_sql(f"DELETE FROM {self.table()}")
        assert self.stored(row) == before
