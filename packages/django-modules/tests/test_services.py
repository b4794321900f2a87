import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from django_modules import (
    InvalidFlagError,
    InvalidOrganizationError,
    ModuleDisabled,
    UnknownModuleError,
    clear_org_module,
    disable_module,
    enable_module,
    is_module_enabled,
    list_enabled_modules,
    module_states,
    require_module,
    set_module_default,
    set_org_module,
)
from django_modules.models import Module, OrgModuleState
from django_modules.services import get_org_model
from tests.testapp.models import Organization

pytestmark = pytest.mark.django_db


def test_reference_example(org):
    module = Module.objects.create(key="pharmacy", name="Pharmacy", active=True)
    Module.objects.create(key="billing", name="Billing", active=True)
    Module.objects.create(key="lab", name="Lab", active=True)
    OrgModuleState.objects.create(org=org, module=module, enabled=False)
    assert is_module_enabled(org, "pharmacy") is False
    with pytest.raises(ModuleDisabled):
        require_module(org, "pharmacy")
    assert list_enabled_modules(org) == {"billing", "lab"}


def test_global_default_applies_without_override(org, pharmacy, lab):
    assert is_module_enabled(org, "pharmacy") is True
    assert is_module_enabled(org, "lab") is False
    assert module_states(org) == {"pharmacy": True, "lab": False}


def test_override_wins_in_both_directions(org, other_org, pharmacy, lab):
    disable_module(org, "pharmacy")
    enable_module(org, "lab")
    assert module_states(org) == {"pharmacy": False, "lab": True}
    assert module_states(other_org) == {"pharmacy": True, "lab": False}


def test_deleted_override_falls_back_to_default(org, pharmacy):
    state = disable_module(org, "pharmacy")
    state.delete()
    assert is_module_enabled(org, "pharmacy") is True
    assert list_enabled_modules(org) == {"pharmacy"}


def test_clear_org_module(org, pharmacy):
    assert clear_org_module(org, "pharmacy") is False
    disable_module(org, "pharmacy")
    assert clear_org_module(org, "pharmacy") is True
    assert is_module_enabled(org, "pharmacy") is True
    assert OrgModuleState.deleted_objects.count() == 1


def test_toggle_changes_existing_override_in_place(org, pharmacy):
    first = disable_module(org, "pharmacy")
    second = enable_module(org, "pharmacy")
    assert first.pk == second.pk
    assert OrgModuleState.all_objects.count() == 1
    assert is_module_enabled(org, "pharmacy") is True


def test_set_module_default(org, pharmacy):
    set_module_default("pharmacy", False)
    assert is_module_enabled(org, "pharmacy") is False
    assert Module.objects.get(key="pharmacy").active is False


@pytest.mark.parametrize("key", ["pharmcy", "", None, 42])
def test_unknown_key_raises_module_not_found_everywhere(org, pharmacy, key):
    for call in (is_module_enabled, require_module, enable_module, disable_module):
        with pytest.raises(UnknownModuleError) as caught:
            call(org, key)
        assert repr(key) in str(caught.value)
        assert caught.value.key == key
    with pytest.raises(UnknownModuleError):
        set_module_default(key, True)


def test_soft_deleted_module_is_unknown(org, pharmacy):
    pharmacy.delete()
    with pytest.raises(UnknownModuleError):
        is_module_enabled(org, "pharmacy")
    assert list_enabled_modules(org) == set()


def test_module_disabled_names_module_and_org_and_is_permission_denied(org, pharmacy):
    disable_module(org, "pharmacy")
    with pytest.raises(ModuleDisabled) as caught:
        require_module(org, "pharmacy")
    assert "'pharmacy'" in str(caught.value)
    assert "Acme Clinic" in str(caught.value)
    assert caught.value.org == org
    assert caught.value.key == "pharmacy"
    assert isinstance(caught.value, PermissionDenied)


@pytest.mark.parametrize("value", [None, "acme", 1])
def test_invalid_organization(pharmacy, value):
    with pytest.raises(InvalidOrganizationError) as caught:
        is_module_enabled(value, "pharmacy")
    assert "testapp.Organization" in str(caught.value)
    assert repr(value) in str(caught.value)


def test_unsaved_organization_is_invalid(pharmacy):
    with pytest.raises(InvalidOrganizationError):
        list_enabled_modules(Organization(name="not saved"))


@pytest.mark.parametrize("call", [enable_module, disable_module, clear_org_module])
def test_toggles_refuse_an_invalid_organization(pharmacy, call):
    with pytest.raises(InvalidOrganizationError):
        call("acme", "pharmacy")
    assert OrgModuleState.all_objects.count() == 0


def test_invalid_flag_writes_nothing(org, pharmacy):
    with pytest.raises(InvalidFlagError, match="expected True or False"):
        set_org_module(org, "pharmacy", "no")
    with pytest.raises(InvalidFlagError, match="'yes'"):
        set_module_default("pharmacy", "yes")
    assert OrgModuleState.all_objects.count() == 0
    assert Module.objects.get(key="pharmacy").active is True


def test_each_read_costs_one_query(org, pharmacy, lab, django_assert_num_queries):
    disable_module(org, "pharmacy")
    with django_assert_num_queries(1):
        assert is_module_enabled(org, "pharmacy") is False
    with django_assert_num_queries(1):
        assert list_enabled_modules(org) == set()
    with django_assert_num_queries(1), pytest.raises(ModuleDisabled):
        require_module(org, "pharmacy")
    with django_assert_num_queries(1):
        assert module_states(org) == {"pharmacy": False, "lab": False}


def test_all_modules_of_an_org_in_one_query_whatever_their_number(org, django_assert_num_queries):
    Module.objects.bulk_create(
        [Module(key=f"m{i}", name=f"M{i}", active=i % 2 == 0) for i in range(50)]
    )
    enable_module(org, "m1")
    enable_module(org, "m3")
    disable_module(org, "m4")
    with django_assert_num_queries(1):
        enabled = list_enabled_modules(org)
    assert len(enabled) == 25 + 2 - 1  # the even defaults, plus m1 and m3, minus m4
    assert {"m1", "m3"} <= enabled
    assert "m4" not in enabled


def test_get_org_model(settings):
    assert get_org_model() is Organization
    del settings.MODULES_ORG_MODEL
    with pytest.raises(ImproperlyConfigured, match="MODULES_ORG_MODEL"):
        get_org_model()
    settings.MODULES_ORG_MODEL = "no-dot"
    with pytest.raises(ImproperlyConfigured, match="Set MODULES_ORG_MODEL"):
        get_org_model()
