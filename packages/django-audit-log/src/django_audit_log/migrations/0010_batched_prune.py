"""``django_audit_log_prune`` takes a batch size: ``prune()`` deletes old entries in batches,
each its own transaction, so a large retention run never holds one huge transaction.

The same declaration as 0005 (PostgreSQL) and 0008 (MariaDB), with ``Retention(batched=True)``:
the function becomes ``django_audit_log_prune(before timestamptz, max_rows integer DEFAULT
NULL)`` on PostgreSQL and the procedure ``django_audit_log_prune(cutoff, max_rows)`` on MariaDB;
each deletes at most ``max_rows`` entries, the oldest first (NULL: all older than the cutoff).
Still the only route a DELETE gets through. A role granted EXECUTE on the old function needs
the grant again on the new signature (docs/packages/audit-log.md). Reversible.
"""

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly, ReplaceAppendOnly, Retention

PRUNE_FUNCTION = "django_audit_log_prune"


def _declaration(*, batched: bool) -> AppendOnly:
    return AppendOnly(
        "auditlog",
        rows="audit entries",
        hint="Write a new entry; old entries leave only through prune_audit_log.",
        set_null=["actor", "target_content_type"],
        retention=Retention(function=PRUNE_FUNCTION, field="created_at", batched=batched),
    )


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0009_model_time_index")]

    operations = [
        ReplaceAppendOnly(_declaration(batched=False), _declaration(batched=True)),
    ]
