"""Every way around the promises of django-singleton, tried as an attacker would.

One test per attack; each failed before the fix it names and passes after it.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from django_singleton import cache
from django_singleton.exceptions import SingletonBulkCreateError, SingletonDeletionError
from tests.testapp.models import SiteSettings

# Transactional: the cache is filled and invalidated around real commits.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_that_fetched_before_a_commit_cannot_store_the_old_row(cached, monkeypatch):
    SiteSettings.get_instance()
    cached.clear()
    really_store = cache.store

    def store_after_a_commit(*args, **kwargs):
        # The reader holds the old row; a writer commits and invalidates before it stores.
        with transaction.atomic():
            SiteSettings.objects.update(site_name="committed")
        really_store(*args, **kwargs)

    monkeypatch.setattr(cache, "store", store_after_a_commit)
    assert SiteSettings.get_instance().site_name == "Example"  # the reader's own read
    monkeypatch.undo()
    assert SiteSettings.get_instance().site_name == "committed"


def test_base_manager_update_invalidates_the_cache(cached):
    SiteSettings.get_instance()
    SiteSettings._base_manager.update(site_name="through the base manager")
    assert SiteSettings.get_instance().site_name == "through the base manager"


def test_base_manager_bulk_paths_are_refused(cached):
    SiteSettings.get_instance()
    with pytest.raises(SingletonBulkCreateError):
        SiteSettings._base_manager.bulk_create([SiteSettings(id=2)])
    with pytest.raises(SingletonDeletionError):
        SiteSettings._base_manager.all().delete()
    assert list(SiteSettings._base_manager.values_list("pk", flat=True)) == [1]
