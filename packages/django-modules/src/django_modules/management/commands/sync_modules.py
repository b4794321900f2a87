"""``manage.py sync_modules modules.yaml [--check] [--prune]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from django_modules.exceptions import ManifestError
from django_modules.manifest import apply_sync, plan_sync, read_manifest


class Command(BaseCommand):
    help = "Create and update Module rows from a YAML manifest (key, name, description, default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("manifest", help="path of the YAML manifest")
        parser.add_argument(
            "--check",
            action="store_true",
            help="report what differs from the manifest without writing; exit 1 on any drift",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="also soft-delete modules the manifest does not declare",
        )

    def handle(self, *args: Any, manifest: str, check: bool, prune: bool, **options: Any) -> None:
        try:
            with open(manifest, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise CommandError(f"cannot read manifest {manifest}: {error.strerror}") from error
        try:
            declarations = read_manifest(text, source=manifest)
        except ManifestError as error:
            raise CommandError(str(error)) from error
        changes = plan_sync(declarations, prune) if check else apply_sync(declarations, prune)
        for change in changes:
            self.stdout.write(("drift: " if check else "") + change.describe())
        if check and changes:
            raise CommandError(f"{len(changes)} module(s) differ from {manifest}")
        if not changes:
            self.stdout.write(f"modules match {manifest}")
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(changes)} module(s) synced"))
