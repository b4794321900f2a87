"""Pruning 10^6 old entries on PostgreSQL: in batches (the default) against one transaction.

Loads the old entries with one INSERT ... SELECT generate_series, prunes them, and prints per
way the wall time, the WAL written in all and the most any one transaction held open (the
batched run's largest batch), measured in the same run. Needs an empty scratch database:

    createdb -h 127.0.0.1 -U postgres audit_prune
    cd packages/django-audit-log && DATABASE_URL=postgres://postgres@127.0.0.1:5432/audit_prune \\
        PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.settings python bench/prune_batches.py [ROWS]
    dropdb -h 127.0.0.1 -U postgres audit_prune
"""

import datetime
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from django_audit_log import retention  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
LOAD = """
INSERT INTO django_audit_log_auditlog (id, created_at, action, actor_display, target_id,
    target_repr, changes, metadata, user_agent, request_id, sensitivity, is_system, stamp)
SELECT gen_random_uuid(), now() - interval '400 days' - i * interval '1 second', 'update',
    'user' || (i %% 1000), (i %% 100000)::text, 'Invoice ' || (i %% 100000),
    '{"status": {"old": "draft", "new": "sent"}}', '{}', 'agent', md5(i::text), 'normal',
    false, md5((i * 7)::text)
FROM generate_series(1, %s) AS i
"""


def wal_position():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        (lsn,) = cursor.fetchone()
    return lsn


def wal_between(start, end):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(%s, %s)", [end, start])
        (size,) = cursor.fetchone()
    return int(size)


def run(batch_size):
    with connection.cursor() as cursor:
        cursor.execute(LOAD, [ROWS])
        cursor.execute("VACUUM ANALYZE django_audit_log_auditlog")
    largest = 0
    real = retention._delete_oldest

    def measured(before, limit, using):
        nonlocal largest
        start = wal_position()
        deleted = real(before, limit, using)
        largest = max(largest, wal_between(start, wal_position()))
        return deleted

    retention._delete_oldest = measured
    start, began = wal_position(), time.perf_counter()
    deleted = retention.prune(timezone.now() - datetime.timedelta(days=1), batch_size=batch_size)
    seconds = time.perf_counter() - began
    retention._delete_oldest = real
    return deleted, seconds, wal_between(start, wal_position()), largest


def main():
    call_command("migrate", verbosity=0)
    connection.ensure_connection()
    results = {
        "one transaction": run(None),
        f"batches of {retention.DEFAULT_PRUNE_BATCH}": run(retention.DEFAULT_PRUNE_BATCH),
    }
    base = results["one transaction"]
    print(f"prune of {ROWS:,} old entries, PostgreSQL {connection.pg_version}")
    for name, (deleted, seconds, wal, largest) in results.items():
        print(
            f"{name:>22}: deleted {deleted:,}, {seconds:.2f} s ({seconds / base[1]:.2f}x), "
            f"WAL {wal / 2**20:.0f} MB, largest transaction {largest / 2**20:.1f} MB"
        )


if __name__ == "__main__":
    main()
