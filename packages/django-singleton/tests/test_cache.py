import pytest
from django.db import transaction

from django_singleton.cache import cache_key, generation_key
from tests.testapp.models import ShopSettings, SiteSettings

# Transactional: a write inside a transaction keeps that connection from filling the cache until
# the transaction ends, and pytest-django's default test transaction never ends.
pytestmark = pytest.mark.django_db(transaction=True)


def test_without_the_setting_nothing_is_cached(django_assert_num_queries):
    SiteSettings.get_instance()
    with django_assert_num_queries(1):
        SiteSettings.get_instance()


def test_warm_get_instance_costs_zero_queries(cached, django_assert_num_queries):
    SiteSettings(site_name="cached").save()
    SiteSettings.get_instance()
    with django_assert_num_queries(0):
        assert SiteSettings.get_instance().site_name == "cached"


def test_cold_get_instance_fills_the_cache(cached):
    SiteSettings.objects.create()
    SiteSettings.get_instance()
    token, row = cached.get(cache_key(SiteSettings, "default"))
    assert row.site_name == "Example"
    assert token == cached.get(generation_key(SiteSettings, "default"))


def test_models_have_separate_keys(cached):
    SiteSettings.get_instance()
    ShopSettings.get_instance()
    assert cache_key(SiteSettings, "default") != cache_key(ShopSettings, "default")
    assert isinstance(ShopSettings.get_instance(), ShopSettings)


def test_save_invalidates(cached):
    SiteSettings.get_instance()
    settings = SiteSettings.objects.get()
    settings.site_name = "changed"
    settings.save()
    assert SiteSettings.get_instance().site_name == "changed"


def test_queryset_update_invalidates(cached):
    SiteSettings.get_instance()
    SiteSettings.objects.update(site_name="updated")
    assert SiteSettings.get_instance().site_name == "updated"


def test_bulk_update_invalidates(cached):
    settings = SiteSettings.get_instance()
    settings.site_name = "bulk"
    SiteSettings.objects.bulk_update([settings], ["site_name"])
    assert SiteSettings.get_instance().site_name == "bulk"


def test_key_prefix_setting(cached, settings):
    settings.SINGLETON_CACHE_KEY_PREFIX = "v2"
    assert cache_key(SiteSettings, "default") == "v2:default:testapp.sitesettings"


def test_a_write_in_another_process_is_seen_through_a_shared_cache(
    shared_file_cache, django_assert_num_queries
):
    shared_file_cache.SINGLETON_CACHE = "process_a"
    SiteSettings.objects.create()
    SiteSettings.get_instance()  # process A warms the shared cache
    with django_assert_num_queries(0):
        SiteSettings.get_instance()

    shared_file_cache.SINGLETON_CACHE = "process_b"  # process B writes
    SiteSettings.objects.update(maintenance=True)

    shared_file_cache.SINGLETON_CACHE = "process_a"  # process A reads again
    assert SiteSettings.get_instance().maintenance is True


def test_reads_after_a_write_in_the_same_transaction_do_not_fill_the_cache(cached):
    SiteSettings.get_instance()
    key = cache_key(SiteSettings, "default")
    with transaction.atomic():
        SiteSettings.objects.update(site_name="uncommitted")
        assert SiteSettings.get_instance().site_name == "uncommitted"
        # Other processes keep seeing the last committed row, never the uncommitted one.
        assert cached.get(key)[1].site_name == "Example"


def test_rolled_back_write_never_reaches_the_cache(cached):
    SiteSettings.get_instance()
    key = cache_key(SiteSettings, "default")

    @transaction.atomic
    def write_read_then_fail():
        SiteSettings.objects.update(site_name="rolled back")
        SiteSettings.get_instance()
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        write_read_then_fail()
    assert cached.get(key)[1].site_name == "Example"
    assert SiteSettings.get_instance().site_name == "Example"


def test_commit_deletes_a_value_cached_meanwhile(cached):
    SiteSettings.get_instance()
    key = cache_key(SiteSettings, "default")
    with transaction.atomic():
        SiteSettings.objects.update(site_name="committed")
        # Another process, reading the old committed row, refills the cache meanwhile.
        cached.set(key, SiteSettings(id=1, site_name="stale"))
    assert SiteSettings.get_instance().site_name == "committed"


def test_the_call_that_creates_the_row_leaves_the_cache_to_the_next_read(
    cached, django_assert_num_queries
):
    # Creating the row is a save: it starts a new generation, after the token this read took.
    assert SiteSettings.get_instance().site_name == "Example"
    with django_assert_num_queries(1):
        SiteSettings.get_instance()
    with django_assert_num_queries(0):
        SiteSettings.get_instance()


def test_a_generation_started_by_another_process_first_is_used(cached, monkeypatch):
    SiteSettings.objects.create()
    cached.delete(generation_key(SiteSettings, "default"))  # evicted, or never started
    theirs = "started-elsewhere"

    def lose_the_race(key, value, timeout=None):
        cached.set(key, theirs, timeout)  # the other process's add() landed first
        return False

    monkeypatch.setattr(cached, "add", lose_the_race)
    SiteSettings.get_instance()
    assert cached.get(cache_key(SiteSettings, "default"))[0] == theirs
