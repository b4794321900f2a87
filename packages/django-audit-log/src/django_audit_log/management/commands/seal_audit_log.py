"""``manage.py seal_audit_log``: seal the entries written since the last run (run it often,
e.g. every minute from cron or a periodic task; writers never wait for it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from django_audit_log.exceptions import SealError
from django_audit_log.sealing import seal


class Command(BaseCommand):
    help = (
        "Seal the audit entries that no seal holds yet, with AUDIT_LOG_SEAL_KEY. Exits non-zero "
        "when entries without a valid stamp were found (they are left unsealed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="look at every entry, not only those since the lookback before the last seal",
        )
        parser.add_argument(
            "--adopt-unstamped",
            action="store_true",
            help="also seal entries without a stamp (written before a key was configured)",
        )
        parser.add_argument("--database", default=None, help="database alias (default: router)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = seal(
                using=options["database"],
                full=options["full"],
                adopt_unstamped=options["adopt_unstamped"],
            )
        except SealError as error:
            raise CommandError(str(error)) from error
        if run.seals:
            head = run.seals[-1]
            self.stdout.write(
                f"Sealed {run.sealed} entries in {len(run.seals)} seal(s); head: seal "
                f"{head.number} {head.mac}"
            )
        else:
            self.stdout.write("Nothing to seal.")
        if run.refused:
            shown = ", ".join(str(entry.pk) for entry in run.refused[:10])
            raise CommandError(
                f"{len(run.refused)} entries have no valid stamp and were not sealed "
                f"(inserted without the key, or written before it was set): {shown}; "
                "run verify_audit_log"
            )
