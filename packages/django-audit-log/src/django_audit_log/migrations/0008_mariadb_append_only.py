"""Audit entries refuse UPDATE and DELETE on MariaDB too (0005 declared them for PostgreSQL).

The same declaration as 0005, installed on MariaDB only, after 0006 added ``stamp``: the
``SET NULL`` exception compares every other column as the table has them now. BEFORE UPDATE and
BEFORE DELETE triggers raise ``<UPDATE|DELETE> on django_audit_log_auditlog refused: audit
entries are append-only``; entries leave only through the ``django_audit_log_prune(cutoff)``
procedure (SQL SECURITY DEFINER, which ``prune()`` calls) and the flush of a marked test
database. TRUNCATE fires no trigger on MariaDB: the application's role is kept from it by
privileges (docs/packages/audit-log.md). A separate migration, not a change to 0005, so that
databases migrated past 0005 get the triggers too. Reversible; elsewhere it does nothing.
"""

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly, Retention

PRUNE_FUNCTION = "django_audit_log_prune"


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0007_admin_indexes")]

    operations = [
        AppendOnly(
            "auditlog",
            rows="audit entries",
            hint="Write a new entry; old entries leave only through prune_audit_log.",
            set_null=["actor", "target_content_type"],
            retention=Retention(function=PRUNE_FUNCTION, field="created_at"),
            vendors=["mysql"],
        ),
    ]
