"""Encounter transitions refuse UPDATE and DELETE on MariaDB too (0004 declared them for
PostgreSQL).

The same declaration as 0004, installed on MariaDB only: BEFORE UPDATE and BEFORE DELETE
triggers raise ``<UPDATE|DELETE> on django_encounters_encountertransition refused: encounter
transitions are append-only``; only Django's ON DELETE SET NULL clearing ``transitioned_by`` and
the flush of a marked test database get through. TRUNCATE fires no trigger on MariaDB: keep the
application's role from it with privileges (no DROP). A separate migration, not a change to
0004, so that databases migrated past 0004 get the triggers too. Reversible; elsewhere it does
nothing.
"""

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0004_shared_append_only")]

    operations = [
        AppendOnly(
            "encountertransition",
            rows="encounter transitions",
            hint="Record a new transition with transition().",
            set_null=["transitioned_by"],
            vendors=["mysql"],
        ),
    ]
