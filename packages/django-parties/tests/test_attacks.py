"""The package's promises tried as an attacker would: every write path, not only ``save()``.

Each test names the promise, tries a path around it and checks that the package's error comes
back and the database still keeps the promise.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F, Subquery, Value
from django.db.models.functions import Concat

from django_parties.exceptions import (
    BulkWriteError,
    DuplicatePrimaryContactError,
    InvalidArgumentError,
    PartiesError,
    UnknownRelationshipTypeError,
)
from django_parties.models import Email, Organization, PartyRelationship, Person, Phone
from django_parties.services import relate, set_primary_contact

pytestmark = pytest.mark.django_db


def _types():
    return sorted(PartyRelationship.all_objects.values_list("relationship_type", flat=True))


@pytest.fixture
def job(person, organization):
    return relate(person, organization, "employee", valid_from=date(2020, 1, 1))


# Promise: every relationship_type is a known one (built-in or declared in settings).


def test_update_with_an_expression_cannot_write_an_unknown_type(job):
    for value in (Value("overlord"), Concat(F("relationship_type"), Value("x"))):
        with pytest.raises(InvalidArgumentError, match="relationship_type"):
            PartyRelationship.objects.update(relationship_type=value)
    assert _types() == ["employee"]


def test_update_with_a_subquery_cannot_write_an_unknown_type(job, person):
    Person.objects.filter(pk=person.pk).update(first_name="overlord")
    taken = Subquery(Person.objects.filter(pk=person.pk).values("first_name")[:1])
    with pytest.raises(InvalidArgumentError, match="relationship_type"):
        PartyRelationship.objects.update(relationship_type=taken)
    assert _types() == ["employee"]


def test_base_manager_bulk_create_cannot_write_an_unknown_type(person, organization):
    row = PartyRelationship(from_person=person, to_organization=organization)
    row.relationship_type = "overlord"
    with pytest.raises(UnknownRelationshipTypeError):
        PartyRelationship._base_manager.bulk_create([row])
    assert _types() == []


def test_base_manager_update_cannot_write_an_unknown_type(job):
    with pytest.raises(UnknownRelationshipTypeError):
        PartyRelationship._base_manager.update(relationship_type="overlord")
    assert _types() == ["employee"]


def test_bulk_update_still_writes_checked_types(job):
    job.relationship_type = "contractor"
    assert PartyRelationship.objects.bulk_update([job], ["relationship_type"]) == 1
    assert _types() == ["contractor"]


# Promise: at most one live primary contact point of each kind per party.


def test_base_manager_bulk_create_of_a_second_primary_is_the_package_error(person):
    Email.objects.create(person=person, email="a@example.com", is_primary=True)
    second = Email(person=person, email="b@example.com", is_primary=True)
    with pytest.raises(BulkWriteError):
        Email._base_manager.bulk_create([second])
    assert Email.all_objects.filter(is_primary=True).count() == 1


def test_base_manager_update_to_two_primaries_is_the_package_error(person):
    Phone.objects.create(person=person, number="1", is_primary=True)
    Phone.objects.create(person=person, number="2")
    with pytest.raises(BulkWriteError):
        Phone._base_manager.update(is_primary=True)
    assert Phone.all_objects.filter(is_primary=True).count() == 1


def test_update_with_an_expression_to_two_primaries_is_the_package_error(person):
    Phone.objects.create(person=person, number="1", is_primary=True)
    Phone.objects.create(person=person, number="2")
    with pytest.raises(BulkWriteError):
        Phone.objects.update(is_primary=Value(True))
    assert Phone.all_objects.filter(is_primary=True).count() == 1


def test_moving_a_primary_onto_a_party_with_one_is_the_package_error(person, other_person):
    Email.objects.create(person=person, email="a@example.com", is_primary=True)
    moved = Email.objects.create(person=other_person, email="b@example.com", is_primary=True)
    moved.person = person
    with pytest.raises(DuplicatePrimaryContactError):
        moved.save()
    with pytest.raises(BulkWriteError):
        Email.objects.filter(pk=moved.pk).update(
            person=Subquery(Person.objects.filter(pk=person.pk).values("pk")[:1])
        )
    assert Email.objects.filter(person=person, is_primary=True).count() == 1


# Promise: soft-deleted rows do not come back through the services.


def test_set_primary_contact_of_a_soft_deleted_party_is_refused(person):
    email = Email.objects.create(person=person, email="a@example.com")
    Person.objects.filter(pk=person.pk).delete()  # soft delete, not seen by the in-memory person
    with pytest.raises(InvalidArgumentError, match="live party"):
        set_primary_contact(email)
    assert not Email.all_objects.filter(is_primary=True).exists()


def test_set_primary_contact_of_a_contact_deleted_meanwhile_keeps_the_old_primary(person):
    old = Email.objects.create(person=person, email="a@example.com", is_primary=True)
    stale = Email.objects.create(person=person, email="b@example.com")
    Email.objects.filter(pk=stale.pk).delete()  # the in-memory copy still looks live
    with pytest.raises(InvalidArgumentError, match="contact"):
        set_primary_contact(stale)
    assert list(Email.objects.filter(is_primary=True)) == [old]


def test_relate_refuses_a_party_soft_deleted_in_memory(person, organization):
    organization.delete()
    with pytest.raises(PartiesError):
        relate(person, organization, "employee")
    assert not PartyRelationship.all_objects.exists()


def test_for_user_none_does_not_list_every_person_without_a_login(person, other_person):
    with pytest.raises(InvalidArgumentError, match="user"):
        Person.objects.for_user(None)


def test_bulk_create_on_the_base_manager_checks_names(db):
    with pytest.raises(PartiesError):
        Organization._base_manager.bulk_create([Organization(name="")])
    assert not Organization.all_objects.exists()
