"""What each docs page's examples take for granted, like the ``testsetup`` of Sphinx doctest.

``GIVENS`` has one ``Given`` per page with python blocks (keyed by its path under docs/): the
names its examples use without creating them (built through the packages' APIs, in the test
database), stub modules for the reader's own modules they import, and checks of what the page
states in prose (``results``, by statement) or says happened (``after``). tests/
test_docs_examples.py runs the pages with them.
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Sum
from django.dispatch import Signal
from django.shortcuts import get_object_or_404
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView, UpdateView

EXAMPLE = Path(__file__).resolve().parents[1]

Names = dict[str, Any]


@dataclass
class Given:
    """What a page's examples take for granted, like the ``testsetup`` of Sphinx doctest."""

    # How many python blocks the page had when this was written: a new block needs a look.
    blocks: int
    # The objects the examples use without creating them, made before the first block.
    names: Callable[[], Names] = dict
    # Block number (from 1) -> more names, made right before it from what the page defined so
    # far; the ExitStack closes when the page ends (for override_settings, say).
    before: dict[int, Callable[[Names, contextlib.ExitStack], Names]] = field(default_factory=dict)
    # The reader's own modules the examples import: module name -> its attributes.
    modules: dict[str, Names] = field(default_factory=dict)
    # App labels the page shows in results ("shop.Pet") -> the label its models really get.
    labels: dict[str, str] = field(default_factory=dict)
    # Settings a fragment sets to the reader's own code, not to anything in this project.
    invented: set[str] = field(default_factory=set)
    # Statement -> check(value, names) of a result the page states in words.
    results: dict[str, Callable[[Any, Names], bool]] = field(default_factory=dict)
    # Checks of what the page says happened, once every block ran.
    after: Callable[[Names], None] | None = None
    # The directory the examples run in (for relative paths).
    cwd: Path | None = None


def user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(username=username, password="x", **extra)


def request_by(someone: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = someone
    return request


def person(first_name: str) -> Any:
    from django_parties.models import Person

    return Person.objects.create(first_name=first_name, last_name="Example")


def organization(name: str) -> Any:
    from django_parties.models import Organization

    return Organization.objects.create(name=name, org_type="clinic")


def audit_log_names() -> Names:
    from django_audit_log import log_event

    def run_import() -> None:
        log_event(action="import.row", metadata={"row": 1})

    return {
        "log_event": log_event,
        # the settings fragment reads the seal key from the environment
        "os": types.SimpleNamespace(environ={"AUDIT_LOG_SEAL_KEY": "docs-example-seal-key-" * 2}),
        "request": request_by(user("alice")),
        "user": user("bob"),
        "my_instance": organization("Northside Clinic"),
        "customer": person("Ada"),
        "task": types.SimpleNamespace(request=types.SimpleNamespace(id="task-1")),
        "run_import": run_import,
    }


def audit_log_after(ns: Names) -> None:
    from django_audit_log.celery import stop_carrying_audit_context
    from django_audit_log.models import AuditLog

    assert callable(ns["build_export"].delay)  # the Celery block defined a real task
    stop_carrying_audit_context()

    imported = AuditLog.objects.get(action="import.row")
    assert (imported.actor_display, imported.request_id) == ("cron:nightly-import", "task-1")
    ns["invoice_sent"].send(sender=None, invoice=ns["my_instance"], user=ns["user"])
    sent = AuditLog.objects.get(action="invoice.sent")
    assert (sent.actor, sent.target_id) == (ns["user"], str(ns["my_instance"].pk))
    invoice = ns["Invoice"].objects.create(number="1", amount=Decimal("9.50"), internal_note="x")
    created = AuditLog.objects.filter(target_id=str(invoice.pk)).get()
    assert "internal_note" not in created.changes
    assert created.sensitivity == "high"


def basemodels_after(ns: Names) -> None:
    pets = ns["Pet"]
    pets.objects.create(kind="dog")
    pets.objects.dogs().delete()  # "stays soft"
    assert pets.objects.dogs().count() == 0
    assert pets.all_objects.filter(kind="dog").count() == 1


def catalog_names() -> Names:
    from django_encounters import EncounterDefinition, create_encounter

    EncounterDefinition.objects.create(
        name="Visit", code="VISIT", states=["open", "closed"], initial_state="open",
        final_states=["closed"], transitions={"open": ["closed"]},
    )  # fmt: skip
    return {"user": user("alice"), "encounter": create_encounter("VISIT", subject=person("Ada"))}


def catalog_after(ns: Names) -> None:
    ns["lab"].refresh_from_db()
    assert ns["lab"].status == "completed"


def encounters_names() -> Names:
    from django_encounters import Encounter

    return {
        "patient": person("Ada"),
        "request": request_by(user("alice")),
        "receptionist": user("rita"),
        "doctor": user("dora"),
        "some_past_time": timezone.now(),
        "models": models,
        "Encounter": Encounter,
    }


def encounters_asset(ns: Names, stack: contextlib.ExitStack) -> Names:
    from django_encounters import create_encounter

    asset = ns["Asset"].objects.create()
    create_encounter("VISIT", subject=asset)
    return {"asset": asset}


def encounters_audit_wiring(ns: Names, stack: contextlib.ExitStack) -> Names:
    """The example project already wires encounters to its audit log (clinic.audit_wiring):
    unwired while the page's own wiring runs, so that only the page's receivers write."""
    from clinic import audit_wiring
    from django_encounters.signals import encounter_created, encounter_transitioned

    for signal, uid in (
        (encounter_created, "encounter.created"),
        (encounter_transitioned, "encounter.transitioned"),
    ):
        signal.disconnect(dispatch_uid=f"clinic:{uid}")
        stack.callback(signal.disconnect, dispatch_uid=f"audit:{uid}")
    stack.callback(audit_wiring.connect)
    return {}


def encounters_after(ns: Names) -> None:
    """The page's wiring writes the entries it describes, inside each change's transaction."""
    from django_audit_log.models import AuditLog

    encounter = ns["create_encounter"]("VISIT", subject=ns["patient"])
    ns["transition"](encounter, "checked_in", transitioned_by=ns["receptionist"], reason="on time")
    mine = AuditLog.objects.filter(target_id=str(encounter.pk)).order_by("created_at", "action")
    assert [entry.action for entry in mine] == ["encounter.created", "encounter.transitioned"]
    moved = mine.get(action="encounter.transitioned")
    assert moved.actor == ns["receptionist"]
    assert moved.changes == {"state": {"old": "scheduled", "new": "checked_in"}}
    assert moved.metadata == {"reason": "on time"}


def rbac_settings(ns: Names, stack: contextlib.ExitStack) -> Names:
    """The page's RBAC_MODULES fragment is the project's setting while the page runs."""
    from django_rbac.permissions import sync_module_permissions

    stack.enter_context(override_settings(RBAC_MODULES=ns["RBAC_MODULES"]))
    sync_module_permissions()
    return {}


def layers_after(ns: Names) -> None:
    assert ns["result"].exit_code == 0, ns["result"].violations  # the example keeps its layers


def modules_names() -> Names:
    from django_modules.models import Module

    for key in ("billing", "lab"):
        Module.objects.create(key=key, name=key.title(), active=True)
    org, other_org = organization("Northside Clinic"), organization("Southside Clinic")
    return {
        "org": org,
        "orgs": [other_org, org],
        "other_org": other_org,
        "Clinic": type(org),
        "View": View,
    }


def modules_after(ns: Names) -> None:
    from django_modules import is_module_enabled

    assert is_module_enabled(ns["org"], "lab")
    assert not is_module_enabled(ns["other_org"], "lab")


def singleton_after(ns: Names) -> None:
    assert ns["StoreSettings"].get_instance().tax_rate == Decimal("7.5")


def worklog_names() -> Names:
    return {
        "request": request_by(user("alice")),
        "repair_job": organization("Repair job"),
        "lab_item": organization("Lab item"),
        "models": models,
        "Sum": Sum,
    }


def _still_running(session: Any) -> bool:
    session.refresh_from_db()
    return session.stopped_at is None


GIVENS: dict[str, Given] = {
    "getting-started.md": Given(blocks=2),
    "installation.md": Given(blocks=1),
    "packages/audit-log.md": Given(
        blocks=8,
        names=audit_log_names,
        modules={"billing.signals": {"invoice_sent": Signal()}},
        after=audit_log_after,
    ),
    "packages/basemodels.md": Given(
        blocks=11,
        names=lambda: {"cutoff": timezone.now(), "my_action": lambda *args: None},
        labels={"shop": "docs_examples"},
        results={
            "Owner.all_objects.get(pk=owner.pk).restore()": lambda restored, ns: (
                restored == 1 and ns["Pet"].objects.get().name == "Rex"
            ),
            "owner.hard_delete()": lambda deleted, ns: not ns["Owner"].all_objects.exists(),
        },
        after=basemodels_after,
    ),
    "packages/catalog.md": Given(
        blocks=2,
        names=catalog_names,
        results={
            "work_items = commit_basket(basket, user)": lambda items, ns: (
                [(item.display_name, item.board) for item in items]
                == [("Blood Test", "lab"), ("Amoxicillin 250 mg", "pharmacy")]
            ),
        },
        after=catalog_after,
    ),
    "packages/encounters.md": Given(
        blocks=6,
        names=encounters_names,
        before={5: encounters_asset, 6: encounters_audit_wiring},
        after=encounters_after,
        results={
            "get_encounter_history(encounter)": lambda history, ns: (
                [record.to_state for record in history] == ["checked_in", "in_progress"]
            ),
            "Encounter.objects.for_subject(asset)": lambda found, ns: (
                [encounter.subject for encounter in found] == [ns["asset"]]
            ),
        },
    ),
    "packages/layers.md": Given(
        blocks=1,
        cwd=EXAMPLE,  # the example host's own layers.yaml
        after=layers_after,
    ),
    "packages/modules.md": Given(
        blocks=5,
        names=modules_names,
        results={
            'clear_org_module(org, "pharmacy")': lambda existed, ns: existed is True,
        },
        after=modules_after,
    ),
    "packages/parties.md": Given(
        blocks=2,
        results={
            "clinic.employees()": lambda people, ns: people == [ns["ada"]],
            "ada.organizations()": lambda orgs, ns: orgs == [ns["clinic"]],
            'ada.organizations("employee", as_of=date(2020, 1, 1))': lambda orgs, ns: (
                orgs == [ns["clinic"]]
            ),
            "end_relationship(rel)": lambda ended, ns: not ns["clinic"].employees().exists(),
            "ada.primary_email()": lambda email, ns: email.email == "ada@example.com",
        },
    ),
    "packages/rbac.md": Given(
        blocks=4,
        names=lambda: {
            "alice": user("alice"),
            "bob": user("bob"),
            "admin": get_user_model().objects.create_superuser("admin", password="x"),
            "Permission": Permission,
            "View": View,
            "TemplateView": TemplateView,
            "UpdateView": UpdateView,
            "get_object_or_404": get_object_or_404,
        },
        before={2: rbac_settings},
        invented={"AUTH_USER_MODEL"},  # the reader's accounts.User, defined in block 2
        results={
            "alice.get_manageable_roles()": lambda roles, ns: (
                [role.name for role in roles] == ["Front desk"]
            ),
        },
    ),
    "packages/singleton.md": Given(blocks=4, after=singleton_after),
    "packages/worklog.md": Given(
        blocks=3,
        names=worklog_names,
        results={
            "start_session(request.user, lab_item)": lambda started, ns: (
                not _still_running(ns["session"]) and _still_running(started)
            ),
        },
    ),
}
