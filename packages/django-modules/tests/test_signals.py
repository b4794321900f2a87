"""Every write path sends the toggle signals, with truthful ``previous`` values."""

import pytest

from django_modules import (
    clear_org_module,
    disable_module,
    enable_module,
    set_module_default,
)
from django_modules.models import Module, OrgModuleState

pytestmark = pytest.mark.django_db


def test_module_lifecycle(signal_log):
    module = Module.objects.create(key="pharmacy", name="Pharmacy", active=True)
    set_module_default("pharmacy", False)
    set_module_default("pharmacy", False)  # no change, no signal
    module.name = "Dispensary"
    module.save()  # not a toggle
    Module.objects.filter(pk=module.pk).update(active=True)
    module.delete()
    assert signal_log == [
        ("module", "pharmacy", True, None),
        ("module", "pharmacy", False, True),
        ("module", "pharmacy", True, False),
        ("module", "pharmacy", None, True),
    ]


def test_override_lifecycle_through_services(org, pharmacy, signal_log):
    signal_log.clear()
    disable_module(org, "pharmacy")
    disable_module(org, "pharmacy")  # no change, no signal
    enable_module(org, "pharmacy")
    clear_org_module(org, "pharmacy")
    assert signal_log == [
        ("override", "Acme Clinic", "pharmacy", False, None),
        ("override", "Acme Clinic", "pharmacy", True, False),
        ("override", "Acme Clinic", "pharmacy", None, True),
    ]


def test_previous_comes_from_the_database_not_a_stale_instance(org, pharmacy, signal_log):
    state = OrgModuleState.objects.create(org=org, module=pharmacy, enabled=True)
    OrgModuleState.objects.filter(pk=state.pk).update(enabled=False)
    signal_log.clear()
    state.enabled = True  # this instance still believes it was True
    state.save()
    assert signal_log == [("override", "Acme Clinic", "pharmacy", True, False)]


def test_bulk_paths_send_one_signal_per_toggled_row(org, other_org, pharmacy, lab, signal_log):
    signal_log.clear()
    states = OrgModuleState.objects.bulk_create(
        [
            OrgModuleState(org=org, module=pharmacy, enabled=False),
            OrgModuleState(org=other_org, module=pharmacy, enabled=True),
        ]
    )
    states[1].enabled = False
    OrgModuleState.objects.bulk_update(states, ["enabled"])
    OrgModuleState.objects.all().delete()
    OrgModuleState.deleted_objects.filter(org=org).restore()
    OrgModuleState.objects.all().hard_delete()
    assert signal_log[:3] == [
        ("override", "Acme Clinic", "pharmacy", False, None),  # bulk_create
        ("override", "Bolt Vets", "pharmacy", True, None),
        ("override", "Bolt Vets", "pharmacy", False, True),  # bulk_update: only the flipped row
    ]
    assert sorted(signal_log[3:5]) == [  # soft delete of both, in whatever order rows come
        ("override", "Acme Clinic", "pharmacy", None, False),
        ("override", "Bolt Vets", "pharmacy", None, False),
    ]
    assert signal_log[5:] == [
        ("override", "Acme Clinic", "pharmacy", False, None),  # restore
        ("override", "Acme Clinic", "pharmacy", None, False),  # hard delete of the live row only
    ]


def test_cascade_from_a_hard_deleted_organization_is_signalled(org, pharmacy, signal_log):
    disable_module(org, "pharmacy")
    signal_log.clear()
    org.hard_delete()
    assert signal_log == [("override", "Acme Clinic", "pharmacy", None, False)]


def test_toggle_signal_runs_inside_the_writing_transaction(org, pharmacy):
    """A receiver that fails rolls the toggle back: an audit trail can never miss a toggle."""
    from django_modules import is_module_enabled
    from django_modules.signals import org_module_toggled

    def failing_receiver(**kwargs):
        raise RuntimeError("audit store down")

    org_module_toggled.connect(failing_receiver, dispatch_uid="failing")
    try:
        with pytest.raises(RuntimeError):
            disable_module(org, "pharmacy")
    finally:
        org_module_toggled.disconnect(dispatch_uid="failing")
    assert is_module_enabled(org, "pharmacy") is True
    assert OrgModuleState.all_objects.count() == 0


def test_signal_arguments(org, pharmacy):
    from django_modules.signals import org_module_toggled

    received = []
    org_module_toggled.connect(
        lambda **kwargs: received.append(kwargs), dispatch_uid="args", weak=False
    )
    try:
        disable_module(org, "pharmacy")
    finally:
        org_module_toggled.disconnect(dispatch_uid="args")
    (call,) = received
    assert call["sender"] is OrgModuleState
    assert call["org"] == org
    assert call["module"] == pharmacy
    assert (call["enabled"], call["previous"]) == (False, None)


def test_soft_deleting_an_organization_removes_its_overrides(org, other_org, pharmacy, signal_log):
    from django_modules import is_module_enabled, module_cache

    disable_module(org, "pharmacy")
    disable_module(other_org, "pharmacy")
    signal_log.clear()
    with module_cache():
        assert is_module_enabled(org, "pharmacy") is False
        org.delete()  # basemodels cascades the soft delete to the overrides
        assert signal_log == [("override", "Acme Clinic", "pharmacy", None, False)]
        assert is_module_enabled(org, "pharmacy") is True  # the cache was invalidated
    assert is_module_enabled(other_org, "pharmacy") is False
    signal_log.clear()
    org.restore()
    assert signal_log == [("override", "Acme Clinic", "pharmacy", False, None)]
    assert is_module_enabled(org, "pharmacy") is False


def test_a_cascaded_restore_announces_the_rows_basemodels_names(
    org, other_org, pharmacy, lab, signal_log, monkeypatch
):
    """The overrides that came back are the ones django-basemodels' post_restore names, even when
    other overrides were written in the same microsecond (no guessing by timestamp)."""
    from django.utils import timezone

    from django_modules import is_module_enabled

    disable_module(org, "pharmacy")
    org.delete()
    signal_log.clear()
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    enable_module(other_org, "pharmacy")
    enable_module(other_org, "lab")  # two live overrides stamped with the restore's moment
    org.restore()
    assert signal_log == [
        ("override", "Bolt Vets", "pharmacy", True, None),
        ("override", "Bolt Vets", "lab", True, None),
        ("override", "Acme Clinic", "pharmacy", False, None),
    ]
    assert is_module_enabled(org, "pharmacy") is False


def test_soft_deleting_a_module_removes_its_overrides(org, pharmacy, signal_log):
    disable_module(org, "pharmacy")
    signal_log.clear()
    pharmacy.delete()
    assert signal_log == [
        ("module", "pharmacy", None, True),
        ("override", "Acme Clinic", "pharmacy", None, False),
    ]
    assert OrgModuleState.objects.count() == 0
    signal_log.clear()
    pharmacy.restore()
    assert signal_log == [
        ("module", "pharmacy", True, None),
        ("override", "Acme Clinic", "pharmacy", False, None),
    ]
