"""The MariaDB triggers behind ``django_basemodels.migration_ops.AppendOnly``.

Two row triggers per table, ``BEFORE UPDATE`` and ``BEFORE DELETE``, refuse every change with
the message PostgreSQL gives, ``<OP> on <table> refused: <rows> are append-only``, through
``SIGNAL SQLSTATE '45000'``. The signal carries ``MYSQL_ERRNO`` 4025 (the number of MariaDB's
own CHECK failures), so Django raises ``IntegrityError`` as it does on PostgreSQL. MariaDB has no
message hint: the declaration's ``hint`` is not shown. They let through only:

- the test-database flush: Django's MariaDB flush is a ``DELETE`` of every row; it passes while
  the session's ``@`django_basemodels.test_flush``` is ``'on'`` and the database's comment is
  the test-database mark (``ALTER DATABASE ... COMMENT`` needs the ALTER privilege on the
  database, which the application's role is not given: see ``django_basemodels.flush_route``);
- with ``set_null``: an UPDATE that sets some of those columns to NULL and changes nothing else,
  compared byte for byte, column by column. The columns are those the table has when the
  trigger is installed, generated columns aside (no UPDATE can write them, and they follow the
  columns they are computed from); if a later migration adds, drops or renames one, the
  exception closes (such UPDATEs are refused) until the declaration is installed again;
- with ``retention``: a DELETE made by the retention procedure, ``SQL SECURITY DEFINER``, which
  deletes rows older than a cutoff in the past. It opens its pass by setting a session variable
  to a secret drawn when it was installed and written only into its own body and the trigger's,
  and clears it before it returns or fails. Only the definer, and users with the TRIGGER
  privilege or read access to ``mysql.proc``, can read either body (and users with PROCESS may
  see the procedure's statements while it runs).

``TRUNCATE`` fires no trigger on MariaDB: it is not trapped. It needs the DROP privilege, so an
application role without DROP cannot truncate (the documented GRANTs leave it out).

MySQL is not a supported database: it has no database comments to carry the test-database
mark, and nothing is installed there.
"""

from __future__ import annotations

import secrets

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import truncate_name

from django_basemodels.append_only_postgresql import AppendOnlyTable
from django_basemodels.exceptions import AppendOnlyDeclarationError
from django_basemodels.flush_route import (
    FLUSH_SWITCH,
    TEST_DATABASE_MARKER,
    has_append_only_triggers,
)

# MariaDB's longest SIGNAL message, in characters; a longer one fails instead of refusing.
MESSAGE_TEXT_LIMIT = 512
NAME_LIMIT = 64
# MariaDB's number for a failed CHECK: Django raises IntegrityError for it (the SQLSTATE stays
# 45000); out of range (1264) makes a DataError, as a bad cutoff gives on PostgreSQL.
REFUSAL_ERRNO = 4025
BAD_VALUE_ERRNO = 1264


def refusal(operation: str, spec: AppendOnlyTable) -> str:
    """The message of a refused ``operation``, the same on PostgreSQL and MariaDB."""
    return f"{operation} on {spec.table} refused: {spec.rows} are append-only"


class MariaDBAppendOnly:
    """Installs and removes the triggers (and the retention procedure) of one table."""

    def install(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        if not has_append_only_triggers(schema_editor.connection):
            return
        for operation in ("UPDATE", "DELETE"):
            if len(refusal(operation, spec)) > MESSAGE_TEXT_LIMIT:
                raise AppendOnlyDeclarationError(
                    "AppendOnly rows",
                    spec.rows,
                    f"a text short enough for MariaDB's {MESSAGE_TEXT_LIMIT}-character messages",
                )
        names = _Names(schema_editor, spec)
        secret = secrets.token_hex(16)
        statements = [
            _update_trigger(schema_editor, spec, names, secret),
            _delete_trigger(spec, names, secret),
        ]
        if spec.retention is not None:
            statements.append(_retention_procedure(schema_editor, spec, names, secret))
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def uninstall(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        if not has_append_only_triggers(schema_editor.connection):
            return
        names = _Names(schema_editor, spec)
        for statement in [
            f"DROP TRIGGER IF EXISTS {names.update_trigger}",
            f"DROP TRIGGER IF EXISTS {names.delete_trigger}",
            f"DROP PROCEDURE IF EXISTS {names.retention_procedure}" if spec.retention else "",
        ]:
            if statement:
                schema_editor.execute(statement, params=None)


class _Names:
    """Quoted names of everything installed for one table (the connection's database)."""

    def __init__(self, schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable) -> None:
        quote = schema_editor.connection.ops.quote_name
        self.table = quote(spec.table)
        self.update_trigger = quote(truncate_name(f"{spec.table}_append_only_update", NAME_LIMIT))
        self.delete_trigger = quote(truncate_name(f"{spec.table}_append_only_delete", NAME_LIMIT))
        self.retention_procedure = quote(spec.retention.function) if spec.retention else ""
        # A session variable: any session can set it, only the procedure knows the value.
        self.retention_pass = "@" + quote(truncate_name(f"{spec.table}_retention_pass", NAME_LIMIT))
        self.columns_checked = "@" + quote(truncate_name(f"{spec.table}_columns_ok", NAME_LIMIT))


def literal(text: str) -> str:
    """``text`` as a MariaDB string literal (backslashes escape there unless the SQL mode says
    otherwise, so both they and quotes are doubled)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _signal(message: str, errno: int = REFUSAL_ERRNO, state: str = "45000") -> str:
    return f"SIGNAL SQLSTATE '{state}' SET MYSQL_ERRNO = {errno}, MESSAGE_TEXT = {message};"


# The columns an UPDATE can write. Generated columns (such as the one a
# ConditionalUniqueConstraint adds on MariaDB) are left out: no statement can set them, and they
# follow the columns they are computed from, which are compared.
WRITABLE = "IS_GENERATED = 'NEVER'"


def _columns(schema_editor: BaseDatabaseSchemaEditor, table: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
            f"WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND {WRITABLE} "
            "ORDER BY ORDINAL_POSITION",
            [table],
        )
        return [name for (name,) in cursor.fetchall()]


def _update_trigger(
    schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable, names: _Names, secret: str
) -> str:
    refuse = _signal(literal(refusal("UPDATE", spec)))
    body = refuse
    if spec.set_null_columns:
        quote = schema_editor.connection.ops.quote_name
        columns = _columns(schema_editor, spec.table)

        def same(column: str) -> str:
            # BINARY: a case-insensitive collation would take 'Forged' for 'forged', and
            # PAD SPACE collations 'x ' for 'x'.
            return f"BINARY NEW.{quote(column)} <=> BINARY OLD.{quote(column)}"

        unchanged = [same(c) for c in columns if c not in spec.set_null_columns]
        each_null_or_same = [
            f"(NEW.{quote(c)} IS NULL OR {same(c)})" for c in spec.set_null_columns
        ]
        one_set_null = " OR ".join(
            f"(NEW.{quote(c)} IS NULL AND OLD.{quote(c)} IS NOT NULL)"
            for c in spec.set_null_columns
        )
        same_columns = (
            "(SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ',') "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            f"AND TABLE_NAME = {literal(spec.table)} AND {WRITABLE}) "
            f"<=> BINARY {literal(','.join(columns))}"
        )
        # Reading information_schema costs milliseconds, so a statement checks the columns once:
        # the first row leaves a token of this statement (NOW(6) is its start) that only the
        # trigger can compute (it holds the secret); a session cannot forge it for the next.
        token = f"SHA2(CONCAT({literal(secret)}, CONNECTION_ID(), '@', NOW(6)), 256)"
        condition = " AND ".join([*unchanged, *each_null_or_same, f"({one_set_null})"])
        body = f"""IF NOT ({condition}) THEN
        {refuse}
    END IF;
    IF NOT ({names.columns_checked} <=> {token}) THEN
        IF NOT ({same_columns}) THEN
            {refuse}
        END IF;
        SET {names.columns_checked} = {token};
    END IF;"""
    return (
        f"CREATE TRIGGER {names.update_trigger} BEFORE UPDATE ON {names.table} FOR EACH ROW\n"
        f"BEGIN\n    {body}\nEND"
    )


def _delete_trigger(spec: AppendOnlyTable, names: _Names, secret: str) -> str:
    retention_pass = ""
    if spec.retention is not None:
        retention_pass = f"""
    IF {names.retention_pass} <=> BINARY {literal(secret)} THEN
        SET passed = TRUE;
    END IF;"""
    return f"""CREATE TRIGGER {names.delete_trigger} BEFORE DELETE ON {names.table} FOR EACH ROW
BEGIN
    DECLARE passed BOOLEAN DEFAULT FALSE;
    IF @`{FLUSH_SWITCH}` <=> 'on' THEN
        IF (SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA
            WHERE SCHEMA_NAME = DATABASE()) <=> BINARY {literal(TEST_DATABASE_MARKER)} THEN
            SET passed = TRUE;
        END IF;
    END IF;{retention_pass}
    IF NOT passed THEN
        {_signal(literal(refusal("DELETE", spec)))}
    END IF;
END"""


def _retention_procedure(
    schema_editor: BaseDatabaseSchemaEditor, spec: AppendOnlyTable, names: _Names, secret: str
) -> str:
    assert spec.retention is not None
    column = schema_editor.connection.ops.quote_name(spec.retention.column)
    function = literal(spec.retention.function)
    arguments = "IN cutoff DATETIME(6)"
    # ROW_COUNT() right after each DELETE: a flow-control statement in between would reset it.
    delete = f"DELETE FROM {names.table} WHERE {column} < cutoff; SET deleted = ROW_COUNT();"
    refuse_limit = ""
    if spec.retention.batched:
        arguments += ", IN max_rows BIGINT"
        # The oldest rows first, so that an interrupted run has removed a prefix of the table.
        delete = f"""IF max_rows IS NULL THEN
        {delete}
    ELSE
        DELETE FROM {names.table} WHERE {column} < cutoff ORDER BY {column} LIMIT max_rows;
        SET deleted = ROW_COUNT();
    END IF;"""
        refuse_limit = f"""
    IF max_rows < 1 THEN
        SET message = CONCAT({function}, '(', cutoff, ', ', max_rows,
                             ') refused: expected at least 1 row a batch, or NULL');
        {_signal("message", BAD_VALUE_ERRNO, "22023")}
    END IF;"""
    # The handler clears the pass whatever fails (the DELETE included), then re-raises.
    return f"""CREATE PROCEDURE {names.retention_procedure}({arguments})
MODIFIES SQL DATA SQL SECURITY DEFINER
BEGIN
    DECLARE deleted BIGINT;
    DECLARE message VARCHAR({MESSAGE_TEXT_LIMIT});
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        SET {names.retention_pass} = NULL;
        RESIGNAL;
    END;
    IF cutoff IS NULL OR cutoff > UTC_TIMESTAMP(6) THEN
        SET message = CONCAT({function}, '(', COALESCE(cutoff, 'NULL'),
                             ') refused: expected a cutoff in the past');
        {_signal("message", BAD_VALUE_ERRNO, "22023")}
    END IF;{refuse_limit}
    SET {names.retention_pass} = {literal(secret)};
    {delete}
    SET {names.retention_pass} = NULL;
    SELECT deleted;
END"""
