import pytest

from django_singleton.cache import cache_key, generation_key
from primitives_testkit import run_concurrently
from tests.testapp.models import ShopSettings, SiteSettings

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]


def test_16_threads_get_instance_on_an_empty_table():
    run = run_concurrently(lambda i: SiteSettings.get_instance().pk, threads=16)
    assert run.errors == []
    assert run.results == [1] * 16
    assert list(SiteSettings.objects.values_list("pk", flat=True)) == [1]


def test_16_threads_get_instance_with_the_cache_on(
    cached, django_assert_num_queries, django_assert_max_num_queries
):
    run = run_concurrently(lambda i: ShopSettings.get_instance().currency, threads=16)
    assert run.errors == []
    assert run.results == ["EUR"] * 16
    assert ShopSettings.objects.count() == 1
    # The thread that created the row started a new generation; reads that took their token
    # before it may not have filled the cache. One more read fills it for good.
    with django_assert_max_num_queries(1):
        ShopSettings.get_instance()
    token, row = cached.get(cache_key(ShopSettings, "default"))
    assert (token, row.pk) == (cached.get(generation_key(ShopSettings, "default")), 1)
    with django_assert_num_queries(0):
        assert ShopSettings.get_instance().currency == "EUR"
