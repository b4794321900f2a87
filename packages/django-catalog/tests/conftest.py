import pytest

from django_catalog.models import BasketItem, CatalogItem
from django_catalog.services import get_or_create_draft_basket
from tests.testapp.models import Encounter


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="nurse", password="x")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="vet", password="x")


@pytest.fixture
def encounter(db):
    return Encounter.objects.create(label="visit 1")


@pytest.fixture
def lab_test(db):
    return CatalogItem.objects.create(
        kind="service", service_category="lab", display_name="Blood Test"
    )


@pytest.fixture
def medication(db):
    return CatalogItem.objects.create(kind="stock_item", display_name="Amoxicillin 250 mg")


@pytest.fixture
def basket(encounter, user):
    return get_or_create_draft_basket(encounter, user)


@pytest.fixture
def filled_basket(basket, user, lab_test, medication):
    """A draft basket with a lab test and 3 units of a medication."""
    BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)
    BasketItem.objects.create(basket=basket, catalog_item=medication, added_by=user, quantity=3)
    return basket


@pytest.fixture
def make_basket(user, lab_test):
    """Build a draft basket with ``n`` items on a fresh encounter."""

    def make(n):
        basket = get_or_create_draft_basket(Encounter.objects.create(), user)
        BasketItem.objects.bulk_create(
            [BasketItem(basket=basket, catalog_item=lab_test, added_by=user) for _ in range(n)]
        )
        return basket

    return make
