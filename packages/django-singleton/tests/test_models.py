from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Upper

from django_singleton.exceptions import (
    SingletonBulkCreateError,
    SingletonCreationError,
    SingletonDeletionError,
    SingletonViolationError,
)
from tests.testapp.models import (
    ChosenBaseSettings,
    LegacySettings,
    LegacyTable,
    Owner,
    ShopSettings,
    SiteSettings,
    TaxSettings,
)

pytestmark = pytest.mark.django_db


def test_get_instance_creates_the_row_from_field_defaults():
    settings = SiteSettings.get_instance()
    assert settings.pk == 1
    assert (settings.site_name, settings.maintenance) == ("Example", False)
    assert SiteSettings.objects.count() == 1


def test_get_instance_returns_the_existing_row():
    SiteSettings(site_name="Shop").save()
    assert SiteSettings.get_instance().site_name == "Shop"
    assert SiteSettings.objects.count() == 1


def test_every_save_writes_pk_1_and_a_new_instance_overwrites_the_row():
    SiteSettings(site_name="first").save()
    second = SiteSettings(site_name="second")
    second.save()
    assert second.pk == 1
    assert list(SiteSettings.objects.values_list("pk", "site_name")) == [(1, "second")]


def test_save_ignores_a_pk_set_by_the_caller():
    settings = SiteSettings(id=7, site_name="x")
    settings.save()
    assert list(SiteSettings.objects.values_list("pk", flat=True)) == [1]


@pytest.mark.parametrize("model", [SiteSettings, ShopSettings])
def test_check_constraint_is_named_per_subclass(model):
    label = f"{model._meta.app_label}_{model._meta.model_name}"
    names = [constraint.name for constraint in model._meta.constraints]
    assert names == [f"{label}_singleton_pk"]


@pytest.mark.parametrize("model", [SiteSettings, ShopSettings])
def test_database_refuses_a_second_row(model):
    model.get_instance()
    table = connection.ops.quote_name(model._meta.db_table)
    # Around the ORM entirely: only the CheckConstraint can stop this.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = 2")
    assert list(model.objects.values_list("pk", flat=True)) == [1]


def test_queryset_update_cannot_move_the_pk():
    ShopSettings.get_instance()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShopSettings.objects.update(id=2)
    assert ShopSettings.objects.get().pk == 1


def test_queryset_update_changes_the_row():
    ShopSettings.get_instance()
    assert ShopSettings.objects.update(currency="USD") == 1
    assert ShopSettings.get_instance().currency == "USD"


def test_instance_delete_raises_and_keeps_the_row():
    settings = SiteSettings.get_instance()
    with pytest.raises(SingletonDeletionError, match=r"testapp.SiteSettings is a singleton"):
        settings.delete()
    assert SiteSettings.objects.filter(pk=1).exists()


def test_queryset_delete_raises_and_keeps_the_row():
    SiteSettings.get_instance()
    with pytest.raises(SingletonDeletionError) as caught:
        SiteSettings.objects.all().delete()
    assert caught.value.model is SiteSettings
    assert SiteSettings.objects.filter(pk=1).exists()


def test_base_manager_delete_is_refused_too():
    SiteSettings.get_instance()
    with pytest.raises(SingletonDeletionError), transaction.atomic():
        SiteSettings._base_manager.all().delete()
    assert SiteSettings.objects.filter(pk=1).exists()


def test_cascade_from_a_related_row_is_refused():
    owner = Owner.objects.create(name="o")
    SiteSettings(owner=owner).save()
    with pytest.raises(SingletonDeletionError), transaction.atomic():
        owner.delete()
    assert Owner.objects.filter(pk=owner.pk).exists()
    assert SiteSettings.get_instance().owner_id == owner.pk


def test_other_models_keep_fast_deletes(django_assert_num_queries):
    LegacyTable.objects.bulk_create([LegacyTable(id=i) for i in range(1, 4)])
    # The delete guard is connected per singleton model, not for every sender: a plain model
    # keeps Django's one-query fast delete.
    with django_assert_num_queries(1):
        LegacyTable.objects.all().delete()


def test_bulk_create_is_refused():
    with pytest.raises(SingletonBulkCreateError, match=r"bulk_create\(\) of 2 row\(s\) refused"):
        ShopSettings.objects.bulk_create([ShopSettings(), ShopSettings()])
    assert not ShopSettings.objects.exists()


def test_rogue_rows_raise_violation_naming_model_and_pks():
    LegacyTable.objects.bulk_create([LegacyTable(id=1), LegacyTable(id=3), LegacyTable(id=2)])
    with pytest.raises(SingletonViolationError) as caught:
        LegacySettings.get_instance()
    assert caught.value.model is LegacySettings
    assert caught.value.rogue_pks == [2, 3]
    assert "testapp.LegacySettings has rogue rows with pk [2, 3]" in str(caught.value)


def test_a_lone_row_with_the_wrong_pk_is_rogue_too():
    LegacyTable.objects.create(id=5)
    with pytest.raises(SingletonViolationError, match=r"pk \[5\]"):
        LegacySettings.get_instance()


def test_missing_default_gives_creation_error_and_no_row():
    with pytest.raises(SingletonCreationError, match=r"testapp.TaxSettings.get_instance\(\)"):
        TaxSettings.get_instance()
    assert not TaxSettings.objects.exists()
    TaxSettings(tax_rate=Decimal("7.50")).save()
    assert TaxSettings.get_instance().tax_rate == Decimal("7.50")


def test_str_is_the_verbose_name():
    assert str(SiteSettings.get_instance()) == "site settings"


def test_get_instance_existing_row_costs_one_query(django_assert_num_queries):
    SiteSettings.get_instance()
    with django_assert_num_queries(1):
        SiteSettings.get_instance()


def test_get_instance_on_empty_table_costs_select_and_insert(django_assert_num_queries):
    # SELECT, then the INSERT inside its own savepoint (SAVEPOINT, INSERT, RELEASE).
    with django_assert_num_queries(4):
        SiteSettings.get_instance()


def test_the_base_manager_is_the_guarded_default_manager():
    assert SiteSettings._base_manager is SiteSettings.objects
    assert ChosenBaseSettings._base_manager is ChosenBaseSettings.plain


def test_update_takes_saved_objects_and_expressions():
    owner = Owner.objects.create(name="o")
    SiteSettings.get_instance()
    assert SiteSettings.objects.update(owner=owner, site_name=Upper("site_name")) == 1
    row = SiteSettings.objects.get()
    assert (row.owner, row.site_name) == (owner, "EXAMPLE")
