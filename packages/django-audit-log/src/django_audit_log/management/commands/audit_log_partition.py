"""``manage.py audit_log_partition [--ahead 3]``: partition the audit table by month
(PostgreSQL), then keep the months ahead; see ``django_audit_log.partitioning``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from django_audit_log.exceptions import PartitioningError
from django_audit_log.partitioning import DEFAULT_AHEAD, partition_by_month


class Command(BaseCommand):
    help = (
        "PostgreSQL: convert the audit entries table into one partitioned by month (first run), "
        "and create the partitions of this month and the next ones. Run it as the role that "
        "runs migrate, then monthly (cron), so that entries never wait in the default partition."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--ahead",
            type=int,
            default=DEFAULT_AHEAD,
            help=f"months to create after this one (default {DEFAULT_AHEAD})",
        )
        parser.add_argument("--database", default=None, help="database alias (default: router)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = partition_by_month(ahead=options["ahead"], using=options["database"])
        except PartitioningError as error:
            raise CommandError(str(error)) from error
        if run.converted:
            self.stdout.write(f"Partitioned the audit table by month ({run.copied} entries).")
        if run.moved:
            self.stdout.write(f"Moved {run.moved} entries out of the default partition.")
        created = ", ".join(run.created) if run.created else "none"
        self.stdout.write(f"Partitions created: {created}.")
