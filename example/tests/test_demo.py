"""The narrated demo runs through every package on this database and leaves its audit trail."""

from io import StringIO

import pytest
from django.core.management import call_command

from django_audit_log.models import AuditLog

pytestmark = pytest.mark.django_db


def test_demo_walks_through_every_package_and_audits_it():
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()

    for heading in (
        "basemodels",
        "singleton",
        "parties",
        "rbac",
        "modules",
        "encounters",
        "catalog",
        "worklog",
        "audit_log",
    ):
        assert f". {heading}" in text
    assert "Demo finished." in text

    actions = set(AuditLog.objects.values_list("action", flat=True))
    expected = {
        "create",  # the host's Vehicle is tracked automatically
        "party.relationship_started",
        "rbac.role_assigned",
        "modules.org_module_toggled",
        "encounter.created",
        "encounter.transitioned",
        "catalog.basket_committed",
        "catalog.item_dispensed",
        "worklog.session_started",
        "worklog.session_stopped",
    }
    assert expected <= actions, expected - actions
    # Signals that carry no actor are attributed through the demo's audit context.
    toggled = AuditLog.objects.filter(action="modules.org_module_toggled")
    assert {entry.actor.username for entry in toggled} == {"admin"}


def test_the_demo_pauses_where_time_passes_unless_told_not_to(monkeypatch):
    from demo.management.commands import demo

    slept = []
    monkeypatch.setattr(demo.time, "sleep", slept.append)
    context = demo.DemoContext(command=None, admin=None, user=None)
    context.pause(1.5)
    assert slept == [1.5]
    demo.DemoContext(command=None, admin=None, user=None, pauses=False).pause(1.5)
    assert slept == [1.5]
