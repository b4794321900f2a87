"""``manage.py verify_audit_log``: check the seals and every entry; exits non-zero and names the
first modified, deleted or inserted entry when history was tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from django_audit_log.exceptions import SealError
from django_audit_log.verification import verify

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Verify the audit log against its seals (AUDIT_LOG_SEAL_KEY). Exits 0 when sealed "
        "history is intact, 1 with the first finding otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=None, help="database alias (default: router)")
        parser.add_argument(
            "--head",
            default=None,
            metavar="NUMBER:MAC",
            help="a head printed by seal_audit_log and kept outside the database: it must "
            "still be there, unchanged (detects the removal of the newest seals)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        head = _parse_head(options["head"]) if options["head"] else None
        try:
            result = verify(using=options["database"], head=head)
        except SealError as error:
            raise CommandError(str(error)) from error
        summary = (
            f"{result.seals} seals, {result.sealed} sealed entries, "
            f"{result.pending} stamped entries waiting for a seal"
        )
        if result.first is None:
            self.stdout.write(f"Audit log intact: {summary}.")
            return
        for finding in sorted(result.findings, key=lambda f: (f.created_at, str(f.entry_id)))[
            :SHOWN
        ]:
            self.stderr.write(str(finding))
        raise CommandError(
            f"audit log tampered with: {len(result.findings)} finding(s); first: "
            f"{result.first} ({summary})"
        )


def _parse_head(text: str) -> tuple[int, str]:
    number, _, mac = text.partition(":")
    if not number.isdigit() or len(mac) != 64:
        raise CommandError(f"--head is {text!r}; expected NUMBER:MAC as seal_audit_log prints it")
    return int(number), mac
