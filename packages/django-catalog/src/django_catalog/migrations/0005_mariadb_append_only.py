"""The dispense log refuses UPDATE and DELETE on MariaDB too (0004 declared it for PostgreSQL).

The same declaration as 0004, installed on MariaDB only: BEFORE UPDATE and BEFORE DELETE
triggers raise ``<UPDATE|DELETE> on django_catalog_dispenselog refused: dispense log entries are
append-only``; only the flush of a marked test database gets through. TRUNCATE fires no trigger
on MariaDB: keep the application's role from it with privileges (no DROP). A separate migration,
not a change to 0004, so that databases migrated past 0004 get the triggers too. Reversible;
elsewhere it does nothing.
"""

from django.db import migrations

from django_basemodels.migration_ops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("django_catalog", "0004_shared_append_only")]

    operations = [
        AppendOnly(
            "dispenselog",
            rows="dispense log entries",
            hint="Record a new dispense with dispense().",
            vendors=["mysql"],
        ),
    ]
