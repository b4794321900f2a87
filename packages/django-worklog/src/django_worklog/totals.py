"""``ContextTotal``: the all-time totals per user and context, kept by the database.

``total_seconds_per_context()`` without a period would otherwise sum every session ever
recorded (a pass over the whole table that grows with it). Instead, one row per (user, context)
holds the number of live sessions and the seconds of the stopped ones. Database triggers
(migration 0006, on PostgreSQL, MariaDB and SQLite) keep it in the same statement as the write
to the session: start, stop, switch, soft delete, restore, a change of user or context, DELETE,
and raw SQL alike, so no write path can leave it behind and no service pays a round trip for it.

Rows whose sessions are all gone stay with ``sessions = 0`` (readers skip them); they are not
linked to the user by a foreign key constraint, so deleting a user (whose sessions the triggers
subtract as they go) never meets them. Only ``TRUNCATE`` of the sessions table, or writes with
the triggers switched off, bypass them: ``migration 0006``'s ``FILL`` statement rebuilds the
table from the sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ContextTotal(models.Model):
    """Live sessions and stopped seconds of one user on one context, all time. Read-only: the
    database writes it (see the module's docstring)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,  # the triggers zero the row as the user's sessions go
        db_constraint=False,
        related_name="+",
    )
    context_content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    context_id = models.CharField(max_length=255)
    sessions = models.BigIntegerField(default=0, editable=False)
    seconds = models.BigIntegerField(default=0, editable=False)

    class Meta:
        app_label = "django_worklog"
        constraints = [
            # The triggers' upsert finds a row by these columns.
            models.UniqueConstraint(
                fields=["user", "context_content_type", "context_id"],
                name="worklog_total_per_user_and_context",
            ),
        ]

    def __str__(self) -> str:
        context_type = ContentType.objects.get_for_id(self.context_content_type_id)
        context = f"{context_type.app_label}.{context_type.model} {self.context_id}"
        return f"user {self.user_id} on {context}: {self.seconds}s in {self.sessions} session(s)"
