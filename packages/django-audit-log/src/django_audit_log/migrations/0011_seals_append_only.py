"""Seals refuse UPDATE, DELETE and TRUNCATE in the database, as audit entries do.

A seal is the tamper evidence for the entries it covers: ``seal()`` writes it once and nothing
changes or removes it afterwards (``prune()`` removes entries only; ``verify()`` reports the
entries a seal covers that retention removed, and keeps checking the seal itself). Until now only
the model's Python guards kept seals as written; raw SQL could rewrite or delete one. The shared
declaration now guards the table on PostgreSQL (UPDATE, DELETE and TRUNCATE) and MariaDB (UPDATE
and DELETE; TRUNCATE fires no trigger there, privileges keep the application's role from it),
with no way through but the flush of a marked test database. Reversible.
"""

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0010_batched_prune")]

    operations = [
        AppendOnly(
            "auditseal",
            rows="audit seals",
            hint="Seals are written once by seal_audit_log and never changed or removed.",
        ),
    ]
