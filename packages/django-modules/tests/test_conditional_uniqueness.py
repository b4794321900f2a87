"""Each conditional uniqueness of django-modules is the database's: a raw-SQL duplicate is
refused on every database, and 32 racing writers leave exactly one winner on PostgreSQL and
MariaDB."""

import pytest

from django_basemodels import ConditionalUniqueConstraint
from django_modules import DuplicateModuleKeyError, DuplicateOverrideError, set_org_module
from django_modules.models import Module, OrgModuleState
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)
from tests.testapp.models import Organization

THREADS = 32


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    assert conditional_unique_constraints("django_modules") == {
        "django_modules_module_live_key_unique": ConditionalUniqueConstraint,
        "django_modules_orgmodulestate_live_unique": ConditionalUniqueConstraint,
    }


def test_raw_sql_cannot_repeat_a_live_module_key(pharmacy):
    with refused_by_unique_constraint(Module, "django_modules_module_live_key_unique"):
        insert_by_raw_sql(Module(key="pharmacy", name="Again"))
    pharmacy.delete()
    insert_by_raw_sql(Module(key="pharmacy", name="Again"))  # a deleted module frees its key
    assert Module.all_objects.filter(key="pharmacy").count() == 2


def test_raw_sql_cannot_add_a_second_live_override(org, pharmacy):
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    with refused_by_unique_constraint(OrgModuleState, "django_modules_orgmodulestate_live_unique"):
        insert_by_raw_sql(OrgModuleState(org=org, module=pharmacy, enabled=True))
    assert OrgModuleState.all_objects.filter(org=org, module=pharmacy).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_overrides_for_one_module_leave_one():
    org = Organization.objects.create(name="Acme Clinic")
    module = Module.objects.create(key="pharmacy", name="Pharmacy")
    run = run_concurrently(
        lambda i: OrgModuleState.objects.create(org=org, module=module, enabled=i % 2 == 0).pk,
        threads=THREADS,
    )
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [DuplicateOverrideError] * (THREADS - 1)
    assert OrgModuleState.all_objects.filter(org=org, module=module).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_toggles_leave_one_override():
    org = Organization.objects.create(name="Acme Clinic")
    module = Module.objects.create(key="pharmacy", name="Pharmacy")
    run = run_concurrently(lambda i: set_org_module(org, "pharmacy", i % 2 == 0), threads=THREADS)
    assert run.errors == []
    assert OrgModuleState.all_objects.filter(org=org, module=module).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_modules_with_one_key_leave_one():
    run = run_concurrently(
        lambda i: Module.objects.create(key="pharmacy", name=f"Pharmacy {i}").pk, threads=THREADS
    )
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [DuplicateModuleKeyError] * (THREADS - 1)
    assert Module.all_objects.filter(key="pharmacy").count() == 1
