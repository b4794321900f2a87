"""Races with real threads on PostgreSQL: the invariants hold whatever the interleaving."""

import pytest
from django.db import IntegrityError

from django_modules import DuplicateOverrideError, is_module_enabled, module_cache, set_org_module
from django_modules.models import Module, OrgModuleState
from primitives_testkit import run_concurrently
from tests.testapp.models import Organization

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    org = Organization.objects.create(name="Acme Clinic")
    module = Module.objects.create(key="pharmacy", name="Pharmacy")
    return org, module


def test_concurrent_toggles_leave_exactly_one_live_override(setup):
    org, module = setup
    run = run_concurrently(lambda i: set_org_module(org, "pharmacy", i % 2 == 0), threads=16)
    assert run.errors == []
    assert OrgModuleState.all_objects.filter(org=org, module=module).count() == 1


def test_concurrent_raw_creates_are_refused_by_the_database(setup):
    org, module = setup
    run = run_concurrently(
        lambda i: OrgModuleState.objects.create(org=org, module=module, enabled=True), threads=16
    )
    assert len(run.results) == 1
    assert len(run.errors) == 15
    assert all(isinstance(error, (DuplicateOverrideError, IntegrityError)) for error in run.errors)
    assert OrgModuleState.objects.filter(org=org, module=module).count() == 1


def test_caches_of_concurrent_requests_never_mix(setup):
    """Half the threads see the organization with the module on, half off; none sees both."""
    org, _module = setup
    other = Organization.objects.create(name="Bolt Vets")
    set_org_module(other, "pharmacy", False)

    def request(i):
        target = org if i % 2 == 0 else other
        with module_cache():
            first = is_module_enabled(target, "pharmacy")
            again = [is_module_enabled(target, "pharmacy") for _ in range(10)]
        return i % 2, first, frozenset(again)

    run = run_concurrently(request, threads=16)
    assert run.errors == []
    assert sorted(set(run.results)) == [
        (0, True, frozenset({True})),
        (1, False, frozenset({False})),
    ]


def test_a_toggle_committed_by_another_thread_invalidates_open_caches(setup):
    import threading

    org, _module = setup
    loaded, toggled = threading.Event(), threading.Event()
    seen = []

    def request():
        try:
            with module_cache():
                seen.append(is_module_enabled(org, "pharmacy"))
                loaded.set()
                toggled.wait(10)
                seen.append(is_module_enabled(org, "pharmacy"))
        finally:
            from django.db import connections

            connections.close_all()

    thread = threading.Thread(target=request)
    thread.start()
    loaded.wait(10)
    set_org_module(org, "pharmacy", False)
    toggled.set()
    thread.join()
    assert seen == [True, False]


def test_losers_of_a_create_race_get_the_package_error(setup):
    # The unique index makes each loser wait for the winner's commit, so the row that beat it
    # is visible and the error names it: never a raw IntegrityError.
    org, module = setup
    run = run_concurrently(
        lambda i: OrgModuleState.objects.create(org=org, module=module, enabled=i % 2 == 0),
        threads=16,
    )
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [DuplicateOverrideError] * 15
    assert {(error.org, error.module) for error in run.errors} == {(org, module)}
