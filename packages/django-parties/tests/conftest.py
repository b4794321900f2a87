import pytest

from django_parties.models import Group, Organization, Person


@pytest.fixture
def person(db):
    return Person.objects.create(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def other_person(db):
    return Person.objects.create(first_name="Grace", last_name="Hopper")


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="Northside Clinic", legal_name="Northside Clinic Ltd")


@pytest.fixture
def other_organization(db):
    return Organization.objects.create(name="Harbor Workshop")


@pytest.fixture
def group(db):
    return Group.objects.create(name="Lovelace household", group_type="household")
