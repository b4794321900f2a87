"""`manage.py demo`: walk through every package of django-primitives and say what happens."""

from __future__ import annotations

import importlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.models import Vehicle
from demo_steps import STEPS
from django_audit_log import audit_context


@dataclass
class DemoContext:
    """What every step receives: a way to speak, two users, and the objects of earlier steps."""

    command: BaseCommand
    admin: Any
    user: Any
    shared: dict[str, Any] = field(default_factory=dict)
    pauses: bool = True

    def say(self, text: str) -> None:
        self.command.stdout.write(f"  {text}")

    def pause(self, seconds: float) -> None:
        """Let the server clock move on, as real work would (unless told not to wait)."""
        if self.pauses:
            time.sleep(seconds)


class Command(BaseCommand):
    help = "Walk through every package of django-primitives, narrating what happens."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-pauses",
            action="store_true",
            help="do not wait where the demo lets time pass (work sessions then last 0 s); "
            "for tests that only need the demo's data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = DemoContext(
            command=self,
            admin=self._user("admin", True),
            user=self._user("sam"),
            pauses=not options["no_pauses"],
        )
        # Outside a request there is no middleware to say who acts: the demo says it once.
        with audit_context(actor=ctx.admin, request_id=f"demo-{uuid.uuid4().hex[:12]}"):
            # The host's own subject for repair jobs; django-audit-log tracks its changes.
            ctx.shared["subject"] = Vehicle.objects.create(
                registration="KX-482-B", make="Land Rover", owner_name="Harbor Workshop"
            )
            for number, name in enumerate(STEPS, start=1):
                self.stdout.write(self.style.MIGRATE_HEADING(f"\n{number}. {name}"))
                step = importlib.import_module(f"demo_steps.{name}")
                step.run(ctx)
        self.stdout.write(self.style.SUCCESS("\nDemo finished."))

    @staticmethod
    @transaction.atomic
    def _user(username: str, superuser: bool = False) -> Any:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "is_superuser": superuser,
                "email": f"{username}@example.com",
            },
        )
        if created:
            user.set_password(username)
            user.save()
        return user
