"""Retention on PostgreSQL: batched row deletes on the plain table against dropping whole months
of the table partitioned by ``audit_log_partition``.

Loads ROWS old entries spread evenly over ten months with one INSERT ... SELECT
generate_series, prunes the five oldest months from the plain table (batched ``prune()``, the
default), empties it, loads the same entries again, converts the table, and prunes the same
five months from the partitioned one. Prints per way the wall time and the WAL written, and
the conversion's. Needs an empty scratch database:

    createdb -h 127.0.0.1 -U postgres audit_part
    cd packages/django-audit-log && DATABASE_URL=postgres://postgres@127.0.0.1:5432/audit_part \\
        PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.settings python bench/partition_prune.py [ROWS]
    dropdb -h 127.0.0.1 -U postgres audit_part
"""

import datetime
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from django_audit_log import partitioning, retention  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
TABLE = "django_audit_log_auditlog"
LOAD = f"""
INSERT INTO {TABLE} (id, created_at, action, actor_display, target_id,
    target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), %s + (i::float8 / %s) * interval '10 months', 'update',
    'user' || (i %% 1000), (i %% 100000)::text, 'Invoice ' || (i %% 100000),
    '{{"status": {{"old": "draft", "new": "sent"}}}}', '{{}}', 'agent', md5(i::text), 'normal',
    false, md5((i * 7)::text)
FROM generate_series(0, %s - 1) AS i
"""


def measured(what):
    """``what()``'s result, wall seconds and WAL bytes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (start,) = cursor.fetchone()
        began = time.perf_counter()
        result = what()
        seconds = time.perf_counter() - began
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [start])
        (wal,) = cursor.fetchone()
    return result, seconds, int(wal)


def load(first_month):
    with connection.cursor() as cursor:
        cursor.execute(LOAD, [first_month, ROWS, ROWS])
        cursor.execute(f"VACUUM ANALYZE {TABLE}")


def main():
    call_command("migrate", verbosity=0)
    connection.ensure_connection()
    this_month = (
        timezone.now()
        .astimezone(datetime.UTC)
        .replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    )
    first = (this_month - datetime.timedelta(days=400)).replace(day=1)
    cutoff = first
    for _ in range(5):
        cutoff = (cutoff + datetime.timedelta(days=32)).replace(day=1)

    load(first)
    plain = measured(lambda: retention.prune(cutoff))
    retention.prune(this_month)  # empty it, then the same entries again
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {TABLE}")
    load(first)
    converted = measured(lambda: partitioning.partition_by_month(ahead=1))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")
    dropped = measured(lambda: retention.prune(cutoff))

    print(f"{ROWS:,} entries over ten months, PostgreSQL {connection.pg_version}")
    print(
        f"conversion: {converted[0].copied:,} entries copied, "
        f"{len(converted[0].created)} partitions, {converted[1]:.2f} s, "
        f"WAL {converted[2] / 2**20:.0f} MB"
    )
    for name, (deleted, seconds, wal) in (("plain, batched", plain), ("partitioned", dropped)):
        print(
            f"prune of five months, {name:>14}: {deleted:,} entries, {seconds:.2f} s, "
            f"WAL {wal / 2**20:.1f} MB"
        )


if __name__ == "__main__":
    main()
