"""The PostgreSQL triggers behind ``django_basemodels.migration_ops.AppendOnly``.

One trigger function per table (so each migration installs and removes only its own objects),
fired BEFORE UPDATE OR DELETE for each row and BEFORE TRUNCATE for the statement. It refuses
every change with one message format, ``<OP> on <table> refused: <rows> are append-only``
(SQLSTATE 23001, ``restrict_violation``: Django raises ``IntegrityError``), and lets through only:

- the test-database flush (see ``django_basemodels.flush_route``);
- with ``set_null``: an UPDATE that sets some of those columns to NULL and changes nothing else
  (Django's ``on_delete=SET_NULL``);
- with ``retention``: a DELETE made by the retention function, a ``SECURITY DEFINER`` function
  owned by the migration's role that deletes rows older than a cutoff in the past. It opens its
  pass by writing its transaction id into a table only the owner can write to, and removes it
  before it returns, so no other statement, in any session, ever sees an open pass; the trigger
  also wants the function's owner as the current user (which it is only inside the function).

Every function pins ``search_path`` and names tables with their schema: a session cannot shadow
them with temporary tables or its own schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import truncate_name

from django_basemodels.flush_route import FLUSH_SWITCH, TEST_DATABASE_MARKER

BODY = "$append_only$"  # the dollar quote of every function body written here

FLUSH_HINT = (
    "Test databases are flushed through django_basemodels' test-flush route: its pytest plugin, "
    "or AppendOnlyFlushMixin with AppendOnlyTestRunner."
)
UNMARKED_HINT = "The test-flush route is open, but this database is not a marked test database."


@dataclass(frozen=True)
class RetentionSpec:
    function: str
    column: str
    batched: bool = False

    @property
    def arguments(self) -> str:
        """The function's argument types, as DROP FUNCTION and GRANT EXECUTE name them."""
        return "timestamp with time zone" + (", integer" if self.batched else "")


@dataclass(frozen=True)
class AppendOnlyTable:
    """What a migration declared, resolved against the model: names are database names."""

    table: str
    rows: str
    hint: str
    set_null_columns: tuple[str, ...] = ()
    retention: RetentionSpec | None = None


class PostgreSQLAppendOnly:
    """Installs and removes the triggers (and the retention function) of one table."""

    def install(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        names = _Names(schema_editor, spec)
        if spec.retention is not None:
            for statement in _retention_sql(schema_editor, spec.retention, names):
                schema_editor.execute(statement, params=None)
        schema_editor.execute(_trigger_function_sql(schema_editor, spec, names), params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {names.row_trigger} BEFORE UPDATE OR DELETE ON {names.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {names.function}()",
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {names.truncate_trigger} BEFORE TRUNCATE ON {names.table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {names.function}()",
            params=None,
        )

    def uninstall(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        names = _Names(schema_editor, spec)
        for statement in [
            f"DROP TRIGGER IF EXISTS {names.truncate_trigger} ON {names.table}",
            f"DROP TRIGGER IF EXISTS {names.row_trigger} ON {names.table}",
            f"DROP FUNCTION IF EXISTS {names.function}()",
        ]:
            schema_editor.execute(statement, params=None)
        if spec.retention is not None:
            schema_editor.execute(
                f"DROP FUNCTION IF EXISTS {names.retention_function}({spec.retention.arguments})",
                params=None,
            )
            schema_editor.execute(f"DROP TABLE IF EXISTS {names.retention_pass}", params=None)


class _Names:
    """Quoted, schema-qualified names of everything installed for one table."""

    def __init__(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        limit = connection.ops.max_name_length() or 63
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.oid = %s::regclass",
                [quote(spec.table)],
            )
            (schema,) = cursor.fetchone()

        def qualified(name: str) -> str:
            return f"{quote(schema)}.{quote(truncate_name(name, limit))}"

        self.table = qualified(spec.table)
        self.function = qualified(f"{spec.table}_append_only")
        self.row_trigger = quote(truncate_name(f"{spec.table}_append_only", limit))
        self.truncate_trigger = quote(truncate_name(f"{spec.table}_no_truncate", limit))
        self.retention_pass = qualified(f"{spec.table}_retention_pass")
        self.retention_function = (
            qualified(spec.retention.function) if spec.retention is not None else ""
        )


def literal(text: str) -> str:
    """``text`` as an SQL string literal (the declaration was checked for ``BODY`` already)."""
    return "'" + text.replace("'", "''") + "'"


def flush_route_check(indent: int = 4) -> str:
    """The PL/pgSQL that lets a TRUNCATE through on the test-flush route, and only there.

    It returns NULL (the TRUNCATE goes ahead) when the session opened the route and the database
    carries the test-database marker; with the route open on an unmarked database it sets
    ``hint`` to ``UNMARKED_HINT``. The caller declares ``hint`` and raises after it. Every
    TRUNCATE trigger function of the repository uses this text, so the one way through stays the
    same everywhere. ``indent``: the spaces before each line after the first, so that the text
    reads in place in the function it is written into.
    """
    lines = [
        f"IF coalesce(current_setting({literal(FLUSH_SWITCH)}, true), '') = 'on' THEN",
        "    IF coalesce(shobj_description(",
        "           (SELECT oid FROM pg_database WHERE datname = current_database()),",
        f"           'pg_database'), '') = {literal(TEST_DATABASE_MARKER)} THEN",
        "        RETURN NULL;",
        "    END IF;",
        f"    hint := {literal(UNMARKED_HINT)};",
        "END IF;",
    ]
    return ("\n" + " " * indent).join(lines)


def _trigger_function_sql(
    schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable, names: _Names
) -> str:
    exceptions = ""
    if spec.retention is not None:
        # The pass, and the function's owner as the current user: a role that was granted
        # INSERT on the pass table (GRANT ... ON ALL TABLES) still cannot forge its way in.
        function = literal(f"{names.retention_function}({spec.retention.arguments})")
        exceptions += f"""
    IF TG_OP = 'DELETE'
       AND EXISTS (SELECT 1 FROM {names.retention_pass} WHERE txid = txid_current())
       AND current_user = (SELECT pg_get_userbyid(proowner) FROM pg_proc
                           WHERE oid = {function}::regprocedure) THEN
        RETURN OLD;
    END IF;"""
    if spec.set_null_columns:
        quote = schema_editor.connection.ops.quote_name
        column_list = ", ".join(literal(column) for column in spec.set_null_columns)
        rest = f"- ARRAY[{column_list}]::text[]"
        each_null_or_same = " AND ".join(
            f"(NEW.{quote(c)} IS NULL OR NEW.{quote(c)} IS NOT DISTINCT FROM OLD.{quote(c)})"
            for c in spec.set_null_columns
        )
        one_set_null = " OR ".join(
            f"(NEW.{quote(c)} IS NULL AND OLD.{quote(c)} IS NOT NULL)"
            for c in spec.set_null_columns
        )
        exceptions += f"""
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) {rest}) = (to_jsonb(OLD) {rest})
       AND {each_null_or_same}
       AND ({one_set_null}) THEN
        RETURN NEW;
    END IF;"""
    return f"""
CREATE FUNCTION {names.function}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS {BODY}
DECLARE
    hint text := {literal(spec.hint)};
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        hint := {literal(FLUSH_HINT)};
        {flush_route_check(indent=8)}
    END IF;{exceptions}
    RAISE EXCEPTION '% on % refused: % are append-only', TG_OP, TG_TABLE_NAME, {literal(spec.rows)}
        USING ERRCODE = 'restrict_violation', HINT = hint;
END;
{BODY}"""


def _retention_sql(
    schema_editor: BaseDatabaseSchemaEditor, retention: RetentionSpec, names: _Names
) -> list[str]:
    quote = schema_editor.connection.ops.quote_name
    function = names.retention_function
    signature = f"{function}({retention.arguments})"
    name = literal(retention.function)
    column = quote(retention.column)
    if retention.batched:
        arguments = "before timestamp with time zone, max_rows integer DEFAULT NULL"
        # The oldest rows first, so that an interrupted run has removed a prefix of the table.
        # The cutoff is checked again outside: a ctid is unique only within one table, and on a
        # partitioned table the same ctid in a newer partition would match too.
        delete = (
            f"DELETE FROM {names.table} WHERE {column} < before AND ctid = ANY(ARRAY("
            f"SELECT ctid FROM {names.table} WHERE {column} < before ORDER BY {column} "
            "LIMIT max_rows))"
        )
        refuse_limit = f"""
    IF max_rows < 1 THEN
        RAISE EXCEPTION '%(%, %) refused: expected at least 1 row a batch, or NULL', {name},
            before, max_rows USING ERRCODE = 'invalid_parameter_value';
    END IF;"""
    else:
        arguments = "before timestamp with time zone"
        delete = f"DELETE FROM {names.table} WHERE {column} < before"
        refuse_limit = ""
    return [
        # Written only by the retention function (as the owner); readable by everyone so the
        # trigger, which runs as whoever deletes, can look for a pass (there is never one to see).
        f"CREATE TABLE {names.retention_pass} (txid bigint PRIMARY KEY)",
        f"REVOKE ALL ON {names.retention_pass} FROM PUBLIC",
        f"GRANT SELECT ON {names.retention_pass} TO PUBLIC",
        f"""
CREATE FUNCTION {function}({arguments}) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS {BODY}
DECLARE
    deleted bigint;
BEGIN
    IF before IS NULL OR before > clock_timestamp() THEN
        RAISE EXCEPTION '%(%) refused: expected a cutoff in the past', {name}, before
            USING ERRCODE = 'invalid_parameter_value';
    END IF;{refuse_limit}
    INSERT INTO {names.retention_pass} (txid) VALUES (txid_current());
    {delete};
    GET DIAGNOSTICS deleted = ROW_COUNT;
    DELETE FROM {names.retention_pass} WHERE txid = txid_current();
    RETURN deleted;
END;
{BODY}""",
        f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
    ]
