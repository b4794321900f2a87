import pytest
from django.db import IntegrityError, transaction

from django_catalog.exceptions import InvalidArgumentError
from django_catalog.models import CatalogItem, CatalogSettings

pytestmark = pytest.mark.django_db


def test_catalog_item_from_the_roadmap():
    item = CatalogItem.objects.create(
        kind="service", service_category="lab", display_name="Blood Test"
    )
    assert (item.kind, item.active, item.board, str(item)) == ("service", True, "", "Blood Test")


def test_kind_is_checked_by_the_database():
    with pytest.raises(InvalidArgumentError, match="kind 'gift'"):  # save() says it first
        CatalogItem.objects.create(kind="gift", display_name="Voucher")
    with pytest.raises(IntegrityError), transaction.atomic():  # bulk_create() skips save()
        CatalogItem.objects.bulk_create([CatalogItem(kind="gift", display_name="Voucher")])
    assert not CatalogItem.all_objects.exists()


def test_catalog_items_are_soft_deleted(lab_test):
    lab_test.delete()
    assert not CatalogItem.objects.exists()
    assert CatalogItem.all_objects.get().is_deleted


def test_catalog_settings_is_a_singleton_with_inactive_items_off():
    catalog_settings = CatalogSettings.get_instance()
    assert catalog_settings.pk == 1
    assert catalog_settings.allow_inactive_items is False
    assert str(catalog_settings) == "Catalog settings"
    catalog_settings.allow_inactive_items = True
    catalog_settings.save()
    assert CatalogSettings.get_instance().allow_inactive_items is True
    assert CatalogSettings.objects.count() == 1
