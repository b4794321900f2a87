"""Encounter transitions through django_basemodels' shared append-only declaration.

Replaces 0002's trigger, which refused UPDATE and DELETE but let TRUNCATE through. On PostgreSQL
the table now refuses UPDATE, DELETE and TRUNCATE; the only exceptions are Django's ON DELETE
SET NULL clearing ``transitioned_by`` and the flush of a marked test database
(django_basemodels.flush_route).

Reversible: going back restores 0002's trigger. Elsewhere this migration does nothing; MariaDB's
triggers come with a later migration, which installs them with the table as it is by then.
"""

import importlib

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly, PostgreSQLOnlySQL


def _previous_trigger():
    return importlib.import_module(
        "django_encounters.migrations.0002_transition_append_only_trigger"
    )


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0003_transitions_written_by_services")]

    operations = [
        PostgreSQLOnlySQL(sql=_previous_trigger().DROP, reverse_sql=_previous_trigger().CREATE),
        AppendOnly(
            "encountertransition",
            rows="encounter transitions",
            hint="Record a new transition with transition().",
            set_null=["transitioned_by"],
            vendors=["postgresql"],  # MariaDB: a later migration
        ),
    ]
