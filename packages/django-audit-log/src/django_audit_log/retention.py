"""Retention: ``prune()``, the only sanctioned way to remove audit entries, in batches."""

from __future__ import annotations

import datetime

from django.db import connections, router, transaction
from django.utils import timezone

from django_audit_log.exceptions import PruneBatchSizeError, RetentionError
from django_audit_log.models import AuditLog, Sensitivity, _pruning
from django_audit_log.services import PRUNE_ACTION, log_event
from django_basemodels.flush_route import has_append_only_triggers

PRUNE_FUNCTION = "django_audit_log_prune"
# Entries a prune batch deletes: one short transaction each, however many are old.
DEFAULT_PRUNE_BATCH = 10_000


def prune(
    before: datetime.datetime,
    *,
    using: str | None = None,
    batch_size: int | None = DEFAULT_PRUNE_BATCH,
) -> int:
    """Delete entries created before ``before``; returns how many. The only sanctioned delete.

    Deletes at most ``batch_size`` entries at a time, the oldest first, each batch in its own
    transaction together with an entry recording it (``audit_log.pruned``, with the cut-off and
    the batch's count), until none older than ``before`` is left; ``batch_size=None`` deletes
    them all in one transaction. A run that is interrupted has removed a prefix of the old
    entries and recorded it: running it again carries on. A run with nothing to delete still
    records itself once. On PostgreSQL the entries are deleted by the database function
    ``django_audit_log_prune`` (migrations 0005 and 0010), on MariaDB by the procedure of that
    name (0008, 0010): the one path the append-only trigger lets a DELETE through. On a table
    partitioned by month (``partitioning.py``) the same function first drops the months that
    end before ``before``; their entries count in the batch that dropped them.
    """
    if not isinstance(before, datetime.datetime) or timezone.is_naive(before):
        raise RetentionError(before)
    if before > timezone.now():
        raise RetentionError(before)
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise PruneBatchSizeError(batch_size)
    using = using or router.db_for_write(AuditLog)
    total = 0
    batches = 0
    while True:
        with transaction.atomic(using=using):
            deleted = _delete_oldest(before, batch_size, using)
            if deleted or not batches:  # an empty batch after full ones records nothing
                log_event(
                    PRUNE_ACTION,
                    metadata={"before": before.isoformat(), "deleted": deleted},
                    sensitivity=Sensitivity.HIGH,
                    is_system=True,
                    using=using,
                )
        total += deleted
        batches += 1
        if batch_size is None or deleted < batch_size:
            return total


def _delete_oldest(before: datetime.datetime, limit: int | None, using: str) -> int:
    """Delete up to ``limit`` (None: all) of the oldest entries created before ``before``."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {PRUNE_FUNCTION}(%s, %s)", [before, limit])
            (deleted,) = cursor.fetchone()
        return int(deleted)
    if has_append_only_triggers(connection):  # MariaDB: the procedure of migration 0010
        with connection.cursor() as cursor:
            cutoff = connection.ops.adapt_datetimefield_value(before)  # naive UTC there
            cursor.execute(f"CALL {PRUNE_FUNCTION}(%s, %s)", [cutoff, limit])
            (deleted,) = cursor.fetchone()
        return int(deleted)
    old = AuditLog.objects.using(using).filter(created_at__lt=before)
    if limit is not None:
        oldest = old.order_by("created_at", "id").values_list("pk", flat=True)[:limit]
        old = AuditLog.objects.using(using).filter(pk__in=list(oldest))
    token = _pruning.set(True)
    try:
        deleted, _ = old.delete()
    finally:
        _pruning.reset(token)
    return int(deleted)
