import pytest

from primitives_testkit import run_concurrently
from tests.testapp.models import ShopSettings, SiteSettings

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_16_threads_get_instance_on_an_empty_table():
    run = run_concurrently(lambda i: SiteSettings.get_instance().pk, threads=16)
    assert run.errors == []
    assert run.results == [1] * 16
    assert list(SiteSettings.objects.values_list("pk", flat=True)) == [1]


def test_16_threads_get_instance_with_the_cache_on(settings):
    settings.SINGLETON_CACHE = "singletons"
    run = run_concurrently(lambda i: ShopSettings.get_instance().currency, threads=16)
    assert run.errors == []
    assert run.results == ["EUR"] * 16
    assert ShopSettings.objects.count() == 1
