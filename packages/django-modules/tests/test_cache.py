import threading

import pytest
from django.db import connection

from django_modules import cache, disable_module, is_module_enabled, module_cache
from django_modules.models import Module, OrgModuleState

pytestmark = pytest.mark.django_db


def test_repeated_checks_in_a_scope_cost_one_query(org, pharmacy, lab, django_assert_num_queries):
    with module_cache():
        with django_assert_num_queries(1):
            for _ in range(20):
                assert is_module_enabled(org, "pharmacy") is True
                assert is_module_enabled(org, "lab") is False
        with django_assert_num_queries(0):
            assert is_module_enabled(org, "pharmacy") is True


def test_unknown_key_in_a_scope_still_raises_without_a_query(
    org, pharmacy, django_assert_num_queries
):
    from django_modules import UnknownModuleError

    with module_cache():
        is_module_enabled(org, "pharmacy")
        with django_assert_num_queries(0), pytest.raises(UnknownModuleError):
            is_module_enabled(org, "pharmcy")


def test_each_organization_is_cached_separately(
    org, other_org, pharmacy, django_assert_num_queries
):
    disable_module(org, "pharmacy")
    with module_cache(), django_assert_num_queries(2):
        for _ in range(5):
            assert is_module_enabled(org, "pharmacy") is False
            assert is_module_enabled(other_org, "pharmacy") is True


def test_no_cache_outside_a_scope(org, pharmacy, django_assert_num_queries):
    with module_cache():
        is_module_enabled(org, "pharmacy")
    assert not cache.is_active()
    with django_assert_num_queries(2):
        is_module_enabled(org, "pharmacy")
        is_module_enabled(org, "pharmacy")


@pytest.mark.parametrize(
    "toggle",
    [
        lambda org, module: disable_module(org, "pharmacy"),
        lambda org, module: OrgModuleState.objects.create(org=org, module=module, enabled=False),
        lambda org, module: Module.objects.filter(pk=module.pk).update(active=False),
        lambda org, module: module.delete(),
    ],
    ids=["service", "create", "queryset-update", "module-deleted"],
)
def test_a_toggle_invalidates_the_scope(org, pharmacy, toggle, django_assert_num_queries):
    from django_modules import list_enabled_modules

    with module_cache():
        assert list_enabled_modules(org) == {"pharmacy"}
        toggle(org, pharmacy)
        with django_assert_num_queries(1):
            assert list_enabled_modules(org) == set()


def test_cached_values_cannot_be_mutated_by_callers(org, pharmacy):
    from django_modules import module_states

    with module_cache():
        module_states(org)["pharmacy"] = False
        assert is_module_enabled(org, "pharmacy") is True


def test_a_read_that_raced_a_toggle_is_not_kept(org, pharmacy):
    with module_cache():
        generation = cache.current_generation()
        cache.invalidate()  # a toggle lands between the read's query and its put()
        cache.put(org.pk, {"pharmacy": False}, generation)
        assert cache.get(org.pk) is None


def test_scope_is_restored_after_nesting_and_errors(org):
    with module_cache():
        cache.put(org.pk, {"x": True}, cache.current_generation())
        inner = []

        def fail_inside_a_nested_scope():
            with module_cache():
                inner.append(cache.get(org.pk))
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_inside_a_nested_scope()
        assert inner == [None]
        assert cache.get(org.pk) == {"x": True}
    assert not cache.is_active()


def test_scope_does_not_leak_into_other_threads(org):
    """Two threads, each with its own scope, and a thread started inside a scope."""
    barrier = threading.Barrier(2)
    seen = {}

    def worker(value):
        with module_cache():
            cache.put(org.pk, {"pharmacy": value}, cache.current_generation())
            barrier.wait(5)  # both scopes are filled before either reads
            seen[value] = cache.get(org.pk)

    threads = [threading.Thread(target=worker, args=(value,)) for value in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {True: {"pharmacy": True}, False: {"pharmacy": False}}

    with module_cache():
        cache.put(org.pk, {"pharmacy": True}, cache.current_generation())
        child = {}
        thread = threading.Thread(target=lambda: child.update(active=cache.is_active()))
        thread.start()
        thread.join()
    assert child == {"active": False}


def test_no_leak_between_requests(client, org, pharmacy, django_assert_num_queries):
    """A change made behind the package's back is seen by the next request, never by this one."""
    headers = {"X-Org": str(org.pk)}
    assert client.get("/states/", headers=headers).json()["states"] == {"pharmacy": True}
    with connection.cursor() as cursor:  # raw SQL: no signal, no invalidation
        cursor.execute(f"UPDATE {Module._meta.db_table} SET active = %s", [False])
    assert client.get("/states/", headers=headers).json()["states"] == {"pharmacy": False}


def test_twenty_checks_in_one_request_cost_one_query(client, org, pharmacy, lab):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/states/", headers={"X-Org": str(org.pk)})
    assert response.json()["checks"] == 20
    module_queries = [q for q in queries.captured_queries if Module._meta.db_table in q["sql"]]
    assert len(module_queries) == 1
    assert len(queries.captured_queries) == 2  # the organization, then every module at once
