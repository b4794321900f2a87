"""Monthly partitions of the audit entries table: an option on PostgreSQL.

``partition_by_month()`` (``manage.py audit_log_partition``) turns the plain table the migrations
create into one partitioned by month on ``created_at``, and on every later run adds the months
ahead. Everything happens in one transaction, as the role that owns the table:

- conversion: a new parent ``PARTITION BY RANGE (created_at)`` with the table's columns, checks,
  defaults, indexes, foreign keys, triggers and grants; one partition per month that has entries
  and for this month and the ``ahead`` next ones, and a DEFAULT partition so that no insert ever
  fails; the entries copied; the old table dropped and the new one renamed into its place. The key
  becomes ``(id, created_at)``, as PostgreSQL requires, and each partition gets a unique index on
  ``id``.
- every run: the months up to ``ahead`` from now, and those whose entries wait in the default
  partition (they move into their month). Every partition gets its own ``TRUNCATE`` trigger
  (PostgreSQL clones only row triggers), and ``django_audit_log_prune`` is replaced by the
  version that drops whole months before the cutoff (``partition_sql.prune_function``).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from django_audit_log import partition_sql
from django_audit_log.exceptions import PartitioningError
from django_audit_log.models import AuditLog
from django_audit_log.retention import PRUNE_FUNCTION

DEFAULT_AHEAD = 3
ROWS = "audit entries"  # as the append-only declaration names them (migration 0010)
MAX_AHEAD = 120


@dataclasses.dataclass
class PartitionRun:
    """What one run did."""

    converted: bool = False
    copied: int = 0  # entries copied into the partitioned table by the conversion
    created: list[str] = dataclasses.field(default_factory=list)  # partitions, in month order
    moved: int = 0  # entries moved out of the default partition into their new month


def partition_by_month(*, ahead: int = DEFAULT_AHEAD, using: str | None = None) -> PartitionRun:
    """Partition the audit table by month (once), and make sure the partitions of this month
    and the ``ahead`` next ones exist. Idempotent; PostgreSQL only (``PartitioningError``
    elsewhere, and when not run as the table's owner)."""
    if isinstance(ahead, bool) or not isinstance(ahead, int) or not 0 <= ahead <= MAX_AHEAD:
        raise PartitioningError("ahead", ahead, f"a whole number of months from 0 to {MAX_AHEAD}")
    using = using or router.db_for_write(AuditLog)
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise PartitioningError(
            "database", f"{using} ({connection.vendor})", "PostgreSQL: elsewhere the table stays"
        )
    run = PartitionRun()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        names = _names(cursor)
        _check_ready(cursor, names)
        cursor.execute(f"LOCK TABLE {names.parent} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(partition_sql.truncate_function(names, ROWS))
        coming = [timezone.now().astimezone(datetime.timezone.utc).date().replace(day=1)]
        for _ in range(ahead):
            coming.append(partition_sql.next_month(coming[-1]))
        if not _is_partitioned(cursor, names):
            _convert(cursor, names, coming, run)
        else:
            _add_months(cursor, names, coming, run)
        for partition in _partitions_without_truncate_trigger(cursor, names):
            cursor.execute(partition_sql.partition_guards(names, partition)[0])
        prune = names.qualified(PRUNE_FUNCTION)
        cursor.execute(partition_sql.prune_function(names, prune))
    return run


def is_partitioned(using: str | None = None) -> bool:
    """Whether the audit table is partitioned (always False outside PostgreSQL)."""
    connection = connections[using or router.db_for_read(AuditLog)]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return _is_partitioned(cursor, _names(cursor))


def partitions(using: str | None = None) -> list[str]:
    """The partitions' names, in name order (the default partition last)."""
    connection = connections[using or router.db_for_read(AuditLog)]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        return _partitions(cursor, _names(cursor))


def _names(cursor: Any) -> partition_sql.Names:
    table = AuditLog._meta.db_table
    cursor.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass(%s)",
        [table],
    )
    (schema,) = cursor.fetchone()
    return partition_sql.Names(schema=schema, table=table)


def _check_ready(cursor: Any, names: partition_sql.Names) -> None:
    """Run as the table's owner (who owns the prune function and may drop what it creates),
    with migration 0010's trigger and prune function in place."""
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), current_user FROM pg_class WHERE oid = %s::regclass",
        [names.parent],
    )
    owner, user = cursor.fetchone()
    if owner != user:
        raise PartitioningError(
            "role", user, f"the table's owner {owner!r} (the role that runs migrate)"
        )
    cursor.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s) "
        "AND to_regprocedure(%s) IS NOT NULL",
        [
            names.parent,
            names.row_trigger,
            f"{names.qualified(PRUNE_FUNCTION)}(timestamp with time zone, integer)",
        ],
    )
    if not cursor.fetchone()[0]:
        raise PartitioningError(
            "table",
            names.table,
            "the append-only trigger and prune function of migration 0010 (run migrate first)",
        )


def _is_partitioned(cursor: Any, names: partition_sql.Names) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [names.parent])
    return bool(cursor.fetchone()[0] == "p")


def _partitions(cursor: Any, names: partition_sql.Names) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass ORDER BY c.relname = %s, c.relname",
        [names.parent, names.default_partition],
    )
    return [name for (name,) in cursor.fetchall()]


def _partitions_without_truncate_trigger(cursor: Any, names: partition_sql.Names) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_trigger t "
        "WHERE t.tgrelid = c.oid AND t.tgname = %s) ORDER BY c.relname",
        [names.parent, names.truncate_trigger],
    )
    return [name for (name,) in cursor.fetchall()]


def _months_with_entries(cursor: Any, relation: str) -> set[datetime.date]:
    """The UTC months ``relation``'s entries fall in (one scan: only the conversion, which
    copies every entry anyway, and the default partition, normally empty, are asked)."""
    cursor.execute(
        "SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date FROM " + relation
    )
    return {month for (month,) in cursor.fetchall()}


def _convert(
    cursor: Any, names: partition_sql.Names, coming: list[datetime.date], run: PartitionRun
) -> None:
    parent = names.parent
    cursor.execute(
        "SELECT conrelid::regclass::text FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f'",
        [parent],
    )
    referencing = [table for (table,) in cursor.fetchall()]
    if referencing:
        raise PartitioningError(
            "foreign keys to the entries from", referencing, "none: they need a unique id"
        )
    # Months without entries in between get no partition: nothing would land there.
    months = sorted(_months_with_entries(cursor, parent) | set(coming))
    table_definition = _definition(cursor, parent)

    staging = names.qualified(f"{names.table}_partitioned")
    cursor.execute(
        f"CREATE TABLE {staging} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (created_at)"
    )
    for month in months:
        for statement in partition_sql.create_month(names, month, staging):
            cursor.execute(statement)
        run.created.append(names.month_partition(month))
    for statement in partition_sql.create_default(names, staging):
        cursor.execute(statement)
    run.created.append(names.default_partition)
    cursor.execute(f"INSERT INTO {staging} SELECT * FROM {parent}")
    run.copied = cursor.rowcount
    cursor.execute(f"DROP TABLE {parent}")
    cursor.execute(f"ALTER TABLE {staging} RENAME TO {names.quoted(names.table)}")
    cursor.execute(
        f"ALTER TABLE {parent} ADD CONSTRAINT {names.quoted(table_definition['key'])} "
        "PRIMARY KEY (id, created_at)"
    )
    for statement in table_definition["statements"]:
        cursor.execute(statement)
    run.converted = True


def _definition(cursor: Any, parent: str) -> dict[str, Any]:
    """The plain table's key name and the statements that give the partitioned one its
    indexes, foreign keys, triggers and grants (the columns and checks come with LIKE)."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
        [parent],
    )
    (key,) = cursor.fetchone()
    statements: list[str] = []
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = %s::regclass AND NOT indisprimary ORDER BY indexrelid",
        [parent],
    )
    statements += [definition for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname, "
        "pg_get_constraintdef(oid)) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [parent],
    )
    statements += [definition for (definition,) in cursor.fetchall()]
    cursor.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
        [parent],
    )
    statements += [definition for (definition,) in cursor.fetchall()]
    statements += _grants(cursor, parent)
    return {"key": key, "statements": statements}


def _grants(cursor: Any, parent: str) -> list[str]:
    """The table's and its columns' grants to other roles, as GRANT statements."""
    grantee = (
        "CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(acl.grantee)) END"
    )
    cursor.execute(
        f"SELECT format('GRANT %%s ON %%s TO %%s', acl.privilege_type, c.oid::regclass, {grantee}) "
        "FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) acl "
        "WHERE c.oid = %s::regclass AND acl.grantee <> c.relowner",
        [parent],
    )
    statements = [statement for (statement,) in cursor.fetchall()]
    cursor.execute(
        f"SELECT format('GRANT %%s (%%I) ON %%s TO %%s', acl.privilege_type, a.attname, "
        f"c.oid::regclass, {grantee}) "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "CROSS JOIN LATERAL aclexplode(a.attacl) acl "
        "WHERE c.oid = %s::regclass AND acl.grantee <> c.relowner",
        [parent],
    )
    statements += [statement for (statement,) in cursor.fetchall()]
    return sorted(statements)


def _add_months(
    cursor: Any,
    names: partition_sql.Names,
    coming: list[datetime.date],
    run: PartitionRun,
) -> None:
    existing = set(_partitions(cursor, names))
    # The months ahead, and any month whose entries wait in the default partition (the command
    # did not run in time): they get their partition and move into it.
    waiting_months = _months_with_entries(cursor, names.qualified(names.default_partition))
    wanted = sorted(set(coming) | waiting_months)
    missing = [m for m in wanted if names.month_partition(m) not in existing]
    if not missing:
        return
    # A new month's range must hold no row of the default partition: rebuild the default one
    # (detach it, add the months, a new default, route its entries again, drop the old one).
    default = names.qualified(names.default_partition)
    waiting_name = f"{names.default_partition}_old"
    waiting = names.qualified(waiting_name)
    cursor.execute(f"ALTER TABLE {names.parent} DETACH PARTITION {default}")
    cursor.execute(f"ALTER TABLE {default} RENAME TO {names.quoted(waiting_name)}")
    # Its own unique index is named after the partition: free the name for the new default.
    cursor.execute(f"DROP INDEX {names.qualified(names.default_partition + '_id')}")
    for month in missing:
        for statement in partition_sql.create_month(names, month):
            cursor.execute(statement)
        run.created.append(names.month_partition(month))
    for statement in partition_sql.create_default(names):
        cursor.execute(statement)
    cursor.execute(f"INSERT INTO {names.parent} SELECT * FROM {waiting}")
    waited = cursor.rowcount
    cursor.execute(f"SELECT count(*) FROM {default}")
    run.moved = waited - int(cursor.fetchone()[0])
    cursor.execute(f"DROP TABLE {waiting}")
