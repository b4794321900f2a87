"""Index ``worklog_user_started_deleted`` (user, started_at, deleted_at) replaces
``worklog_session_user_started`` (user, started_at) of migration 0007.

It serves everything the old one did (one user's sessions newest first, lookups by user, the
start trigger's latest stop of migration 0008: all use its first two columns), and with
``deleted_at`` in it the admin's count of one user's live sessions is an index-only scan on
PostgreSQL: it reads a few index pages, not the row of each of the user's sessions. A null
``deleted_at`` (a live session) adds next to nothing to an entry.

The new index comes first, so the foreign key always has an index led by its column (MariaDB
refuses to drop the last one). Plain CREATE and DROP INDEX everywhere (SQLite's table, and its
triggers, are not rebuilt). Reversible.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("django_worklog", "0008_session_start_reads_the_latest_stop")]

    operations = [
        migrations.AddIndex(
            model_name="worksession",
            index=models.Index(
                fields=["user", "started_at", "deleted_at"], name="worklog_user_started_deleted"
            ),
        ),
        migrations.RemoveIndex(model_name="worksession", name="worklog_session_user_started"),
    ]
