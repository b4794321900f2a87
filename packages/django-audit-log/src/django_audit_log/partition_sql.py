"""The SQL of the monthly partitioning option (PostgreSQL), used by ``partitioning.py``.

Names are passed in quoted and schema-qualified (``Names``); months are UTC months, so a
partition's bounds read the same whatever the session's time zone.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db.backends.utils import truncate_name

# The dollar quote, the literals and the test-flush check of django_basemodels' own functions.
from django_basemodels.append_only_postgresql import BODY, FLUSH_HINT, flush_route_check, literal

NAME_LIMIT = 63


@dataclasses.dataclass(frozen=True)
class Names:
    """Everything the option touches, for one table in one schema."""

    schema: str  # unquoted
    table: str  # unquoted

    def quoted(self, name: str) -> str:
        return '"' + truncate_name(name, NAME_LIMIT).replace('"', '""') + '"'

    def qualified(self, name: str) -> str:
        return f"{self.quoted(self.schema)}.{self.quoted(name)}"

    @property
    def parent(self) -> str:
        return self.qualified(self.table)

    @property
    def default_partition(self) -> str:
        return f"{self.table}_default"

    def month_partition(self, month: datetime.date) -> str:
        return f"{self.table}_y{month.year:04d}m{month.month:02d}"

    # The objects django_basemodels' AppendOnly declaration installed (migrations 0005, 0010).
    @property
    def row_trigger(self) -> str:
        return truncate_name(f"{self.table}_append_only", NAME_LIMIT)

    @property
    def truncate_trigger(self) -> str:
        return truncate_name(f"{self.table}_no_truncate", NAME_LIMIT)

    @property
    def partition_truncate_function(self) -> str:
        return self.qualified(f"{self.table}_partition_no_truncate")

    @property
    def retention_pass(self) -> str:
        return self.qualified(f"{self.table}_retention_pass")


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def bound(month: datetime.date) -> str:
    return f"'{month.isoformat()} 00:00:00+00'"


def create_month(names: Names, month: datetime.date, parent: str | None = None) -> list[str]:
    """The month's partition of ``parent`` (default: the table), with its guards."""
    partition = names.month_partition(month)
    return [
        f"CREATE TABLE {names.qualified(partition)} PARTITION OF {parent or names.parent} "
        f"FOR VALUES FROM ({bound(month)}) TO ({bound(next_month(month))})",
        *partition_guards(names, partition),
    ]


def create_default(names: Names, parent: str | None = None) -> list[str]:
    partition = names.default_partition
    return [
        f"CREATE TABLE {names.qualified(partition)} PARTITION OF {parent or names.parent} DEFAULT",
        *partition_guards(names, partition),
    ]


def partition_guards(names: Names, partition: str) -> list[str]:
    """What each partition needs beyond what it inherits from the parent.

    - Its own TRUNCATE trigger: PostgreSQL clones the parent's row triggers onto a partition,
      but not its statement triggers, and ``TRUNCATE <partition>`` fires only the partition's.
    - A unique index on ``id``: the parent's key must be ``(id, created_at)``; this keeps ``id``
      unique within the month (see the docs for why that covers the table).
    """
    return [
        f"CREATE TRIGGER {names.quoted(names.truncate_trigger)} BEFORE TRUNCATE ON "
        f"{names.qualified(partition)} FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {names.partition_truncate_function}()",
        f"CREATE UNIQUE INDEX {names.quoted(partition + '_id')} "
        f"ON {names.qualified(partition)} (id)",
    ]


def truncate_function(names: Names, rows: str) -> str:
    """The partitions' TRUNCATE trigger function: the TRUNCATE branch of the table's
    append-only function (django_basemodels), with the same message and the same one way
    through, the test-database flush.

    A function of its own, so that a later migration that reinstalls the table's append-only
    declaration (dropping its trigger function) is not blocked by the partitions' triggers.
    """
    return f"""
CREATE OR REPLACE FUNCTION {names.partition_truncate_function}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS {BODY}
DECLARE
    hint text := {literal(FLUSH_HINT)};
BEGIN
    {flush_route_check(indent=4)}
    RAISE EXCEPTION '% on % refused: % are append-only', TG_OP, TG_TABLE_NAME, {literal(rows)}
        USING ERRCODE = 'restrict_violation', HINT = hint;
END;
{BODY}"""


def prune_function(names: Names, function: str) -> str:
    """``function(before, max_rows)`` for the partitioned table: drops every month partition
    that lies wholly before the cutoff, then deletes at most ``max_rows`` of the remaining
    older entries (the month the cutoff falls in, the default partition), the oldest first.

    The same signature, checks and retention pass as the function migration 0010 installs
    (``CREATE OR REPLACE`` keeps its owner and its ``GRANT EXECUTE``). It returns the entries
    removed, dropped months included, so ``prune()`` records them as it records a batch.
    """
    name = literal(function.split(".")[-1].strip('"'))
    table = literal(names.parent)
    return f"""
CREATE OR REPLACE FUNCTION {function}(before timestamp with time zone,
                                      max_rows integer DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS {BODY}
DECLARE
    removed bigint := 0;
    counted bigint;
    old_months regclass[];
    old_month regclass;
BEGIN
    IF before IS NULL OR before > clock_timestamp() THEN
        RAISE EXCEPTION '%(%) refused: expected a cutoff in the past', {name}, before
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_rows < 1 THEN
        RAISE EXCEPTION '%(%, %) refused: expected at least 1 row a batch, or NULL', {name},
            before, max_rows USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO {names.retention_pass} (txid) VALUES (txid_current());
    -- A partition whose upper bound is not after the cutoff holds only older entries (the
    -- default partition has no bound and is never dropped). Counted, then dropped: no WAL per
    -- entry, and the space comes back at once.
    SELECT array_agg(child.oid::regclass ORDER BY upper_bound) INTO old_months
    FROM pg_inherits
    JOIN pg_class child ON child.oid = pg_inherits.inhrelid
    CROSS JOIN LATERAL (
        SELECT (regexp_match(pg_get_expr(child.relpartbound, child.oid),
                             $$ TO \\('([^']+)'\\)$$))[1]::timestamptz AS upper_bound
    ) bounds
    WHERE pg_inherits.inhparent = to_regclass({table}) AND upper_bound <= before;
    FOREACH old_month IN ARRAY coalesce(old_months, '{{}}') LOOP
        EXECUTE format('SELECT count(*) FROM %s', old_month) INTO counted;
        EXECUTE format('DROP TABLE %s', old_month);
        removed := removed + counted;
    END LOOP;
    DELETE FROM {names.parent}
    WHERE created_at < before AND (id, created_at) IN (
        SELECT id, created_at FROM {names.parent} WHERE created_at < before
        ORDER BY created_at LIMIT max_rows);
    GET DIAGNOSTICS counted = ROW_COUNT;
    DELETE FROM {names.retention_pass} WHERE txid = txid_current();
    RETURN removed + counted;
END;
{BODY}"""
