"""``manage.py stop_stale_sessions``: stop sessions people forgot to stop."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from django_worklog import conf
from django_worklog.services import MAX_STALE_AGE, stop_stale_sessions


class Command(BaseCommand):
    help = (
        "Stop work sessions running for longer than --hours (default WORKLOG_STALE_AFTER_HOURS), "
        "recording that the system stopped them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=float, default=None, help="age limit in hours")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is None:
            hours = conf.get("WORKLOG_STALE_AFTER_HOURS")
        most = MAX_STALE_AGE / timedelta(hours=1)
        # Not a number, NaN, zero, negative or past what a datetime can reach back to.
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= most:
            raise CommandError(
                f"--hours is {hours!r}; expected a number of hours above 0 and at most {most:g}"
            )
        stopped = stop_stale_sessions(timedelta(hours=hours))
        for session in stopped:
            self.stdout.write(
                f"stopped session {session.pk} of user pk={session.user_id} "
                f"after {session.duration_seconds}s"
            )
        self.stdout.write(f"{len(stopped)} session(s) running longer than {hours}h stopped.")
