"""The dispense log through django_basemodels' shared append-only declaration.

Replaces 0002's dispense-log trigger, which refused UPDATE and DELETE but let TRUNCATE through.
On PostgreSQL the table now refuses UPDATE, DELETE and TRUNCATE; the only exception is the flush
of a marked test database (django_basemodels.flush_route). 0002's work-item trigger stays.

Reversible: going back restores 0002's trigger. Elsewhere this migration does nothing; MariaDB's
triggers come with a later migration, which installs them with the table as it is by then.
"""

import importlib

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly, PostgreSQLOnlySQL


def _previous_guards():
    return importlib.import_module("django_catalog.migrations.0002_postgresql_guards")


class Migration(migrations.Migration):
    dependencies = [("django_catalog", "0003_guards_against_every_write_path")]

    operations = [
        PostgreSQLOnlySQL(
            sql=_previous_guards().DROP_DISPENSE_LOG_APPEND_ONLY,
            reverse_sql=_previous_guards().DISPENSE_LOG_APPEND_ONLY,
        ),
        AppendOnly(
            "dispenselog",
            rows="dispense log entries",
            hint="Record a new dispense with dispense().",
            vendors=["postgresql"],  # MariaDB: a later migration
        ),
    ]
