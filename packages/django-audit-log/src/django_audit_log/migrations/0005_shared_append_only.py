"""Audit entries through django_basemodels' shared append-only declaration.

Replaces 0002's trigger, whose session switch ``django_audit_log.maintenance`` any session could
turn on to DELETE or TRUNCATE every entry. On PostgreSQL the table now refuses UPDATE, DELETE
and TRUNCATE with the exceptions declared below and nothing else:

- Django's ON DELETE SET NULL may clear ``actor`` and ``target_content_type`` (the entry keeps
  ``actor_display`` and ``target_repr``);
- entries leave only through ``django_audit_log_prune(cutoff)``, a SECURITY DEFINER function
  that deletes entries created before a cutoff in the past (``prune()`` calls it);
- a marked test database may be flushed (django_basemodels.flush_route).

Reversible: going back restores 0002's trigger. Elsewhere this migration does nothing; MariaDB's
triggers come with a later migration, which installs them with the table as it is by then.
"""

import importlib

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly, PostgreSQLOnlySQL, Retention

PRUNE_FUNCTION = "django_audit_log_prune"


def _previous_trigger():
    return importlib.import_module("django_audit_log.migrations.0002_append_only_trigger")


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0004_entry_writer_jsonb")]

    operations = [
        PostgreSQLOnlySQL(sql=_previous_trigger().DROP, reverse_sql=_previous_trigger().CREATE),
        AppendOnly(
            "auditlog",
            rows="audit entries",
            hint="Write a new entry; old entries leave only through prune_audit_log.",
            set_null=["actor", "target_content_type"],
            retention=Retention(function=PRUNE_FUNCTION, field="created_at"),
            vendors=["postgresql"],  # MariaDB: a later migration
        ),
    ]
