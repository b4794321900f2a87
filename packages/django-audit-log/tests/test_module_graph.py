"""The package's own modules import one another in one direction only: the model mixin, the
diffing, the single statement, the tracked querysets and the receivers included."""

from __future__ import annotations

from pathlib import Path

import pytest

import django_audit_log
from django_audit_log import receivers
from django_audit_log.models import AuditLog
from primitives_testkit.imports import import_cycles, module_imports
from tests.testapp.models import Invoice

PACKAGE = Path(django_audit_log.__file__).parent


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_diffing_and_the_mixin_stand_below_the_writers_and_the_receivers():
    graph = module_imports(PACKAGE)
    above = {
        "django_audit_log.receivers",
        "django_audit_log.soft_delete",
        "django_audit_log.tracked_query",
        "django_audit_log.tracked_managers",
        "django_audit_log.update_statement",
    }
    assert graph["django_audit_log.diffing"] == {"django_audit_log.services"}
    assert not graph["django_audit_log.tracking"] & above
    assert not graph["django_audit_log.single_statement"] & above


def test_the_receivers_are_connected_by_the_app_config():
    from django.db.models.signals import class_prepared

    from django_basemodels.signals import post_restore, post_soft_delete

    def uids(signal):
        return {key[0] for key, _receiver, *_ in signal.receivers}

    assert "django_audit_log:tracking" in uids(class_prepared)
    assert "django_audit_log:soft-delete" in uids(post_soft_delete)
    assert "django_audit_log:restore" in uids(post_restore)


@pytest.mark.django_db
def test_connecting_again_changes_nothing():
    # A second ready() (a test runner reloading the registry) must not log a write twice or
    # wrap a model's options class a second time.
    options_class = type(Invoice._meta)
    receivers.connect()
    assert type(Invoice._meta) is options_class
    invoice = Invoice.objects.create(number="A-1")
    Invoice.objects.filter(pk=invoice.pk).update(paid=True)
    Invoice._base_manager.filter(pk=invoice.pk).update(amount=5)
    actions = list(AuditLog.objects.order_by("created_at", "id").values_list("action", flat=True))
    assert actions == ["create", "update", "update"]
