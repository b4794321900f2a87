"""The package's promises tried as an attacker would: every write path, not only ``save()``.

Each test names the promise, tries a path around it and checks that the package's error comes
back, the database still keeps the promise and the toggles are still seen (cache, signals).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Subquery

from django_modules.cache import module_cache
from django_modules.exceptions import (
    BulkWriteError,
    DuplicateModuleKeyError,
    DuplicateOverrideError,
    InvalidOrganizationError,
    ModulesError,
)
from django_modules.models import Module, OrgModuleState
from django_modules.services import enable_module, is_module_enabled

pytestmark = pytest.mark.django_db


def _live_overrides(org):
    return sorted(OrgModuleState.objects.filter(org=org).values_list("module__key", "enabled"))


# Promise: one live override per organization and module.


def test_base_manager_bulk_create_of_a_second_override_is_the_package_error(org, pharmacy):
    enable_module(org, "pharmacy")
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState._base_manager.bulk_create(
            [OrgModuleState(org=org, module=pharmacy, enabled=False)]
        )
    assert _live_overrides(org) == [("pharmacy", True)]


def test_update_moving_overrides_onto_one_module_by_subquery_is_the_package_error(
    org, pharmacy, lab
):
    enable_module(org, "pharmacy")
    enable_module(org, "lab")
    onto_pharmacy = Subquery(Module.objects.filter(key="pharmacy").values("pk")[:1])
    with pytest.raises(ModulesError):
        OrgModuleState.objects.update(module=onto_pharmacy)
    assert _live_overrides(org) == [("lab", True), ("pharmacy", True)]


def test_base_manager_bulk_create_of_a_second_live_key_is_the_package_error(pharmacy):
    with pytest.raises(DuplicateModuleKeyError):
        Module._base_manager.bulk_create([Module(key="pharmacy", name="Again")])
    assert Module.all_objects.filter(key="pharmacy").count() == 1


# Promise: a toggle is seen at once, even inside a module cache (the cache is never stale).


def test_base_manager_update_invalidates_the_cache(org, lab, signal_log):
    with module_cache():
        assert is_module_enabled(org, "lab") is False
        Module._base_manager.filter(key="lab").update(active=True)
        assert is_module_enabled(org, "lab") is True
    assert ("module", "lab", True, False) in signal_log


def test_base_manager_update_of_an_override_invalidates_the_cache(org, pharmacy, signal_log):
    state = enable_module(org, "pharmacy")
    with module_cache():
        assert is_module_enabled(org, "pharmacy") is True
        OrgModuleState._base_manager.filter(pk=state.pk).update(enabled=False)
        assert is_module_enabled(org, "pharmacy") is False
    assert ("override", org.name, "pharmacy", False, True) in signal_log


# Promise: soft-deleted rows stay out of what the services write.


def test_no_override_is_written_for_a_soft_deleted_organization(org, pharmacy):
    org.delete()
    with pytest.raises(InvalidOrganizationError, match="live"):
        enable_module(org, "pharmacy")
    assert not OrgModuleState.all_objects.exists()


def test_expression_nulling_a_required_column_is_the_package_error(pharmacy):
    nothing = Subquery(Module.objects.filter(key="no-such-module").values("name")[:1])
    # An unwatched field is updated in its one query, without a savepoint: as with any database
    # error, the caller's transaction (here the block) is the one rolled back.
    with pytest.raises(BulkWriteError), transaction.atomic():
        Module.objects.update(name=nothing)
    assert Module.objects.get().name == "Pharmacy"


def test_save_with_an_expression_nulling_a_required_column_is_the_package_error(pharmacy):
    pharmacy.name = Subquery(Module.objects.filter(key="no-such-module").values("name")[:1])
    with pytest.raises(BulkWriteError, match="Module"):
        pharmacy.save()
    assert Module.objects.get().name == "Pharmacy"


def test_bulk_update_of_a_watched_field_to_null_by_expression_is_the_package_error(
    pharmacy, signal_log
):
    pharmacy.active = Subquery(Module.objects.filter(key="no-such-module").values("active")[:1])
    with pytest.raises(BulkWriteError, match="Module"):
        Module.objects.bulk_update([pharmacy], ["active"])
    assert Module.objects.get().active is True
    assert signal_log == []


@pytest.mark.server_database
def test_save_with_an_expression_too_long_for_the_column_is_the_package_error(pharmacy):
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Repeat

    pharmacy.name = Concat(F("name"), Repeat(Value("x"), 300))
    with pytest.raises(BulkWriteError, match="Module"):
        pharmacy.save()
    assert Module.objects.get().name == "Pharmacy"
