"""``manage.py prune_audit_log --before 2025-01-01`` (or ``--older-than-days 365``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from django_audit_log.exceptions import PruneBatchSizeError, RetentionError
from django_audit_log.retention import DEFAULT_PRUNE_BATCH, prune


class Command(BaseCommand):
    help = (
        "Delete audit entries created before a date: the only sanctioned way to remove entries. "
        "Works with the PostgreSQL append-only trigger in place and logs its own run."
    )

    def add_arguments(self, parser: Any) -> None:
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--before", help="ISO date or datetime; older entries are deleted")
        when.add_argument("--older-than-days", type=int, help="delete entries older than N days")
        parser.add_argument("--database", default=None, help="database alias (default: router)")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_PRUNE_BATCH,
            help=f"entries deleted per transaction (default {DEFAULT_PRUNE_BATCH})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["before"] is not None:
            before = self._parse(options["before"])
        else:
            days = options["older_than_days"]
            if days < 1:
                raise CommandError(f"--older-than-days is {days}; expected a positive number")
            before = timezone.now() - datetime.timedelta(days=days)
        try:
            deleted = prune(before, using=options["database"], batch_size=options["batch_size"])
        except (RetentionError, PruneBatchSizeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Deleted {deleted} audit entries created before {before.isoformat()}.")

    @staticmethod
    def _parse(text: str) -> datetime.datetime:
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError as error:
            raise CommandError(
                f"--before is {text!r}; expected an ISO date or datetime like 2025-01-31"
            ) from error
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
