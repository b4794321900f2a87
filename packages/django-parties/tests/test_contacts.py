import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from django_parties.exceptions import (
    BulkWriteError,
    DuplicatePrimaryContactError,
    PartyEndpointError,
)
from django_parties.models import Address, Email, Phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Email, {"email": "a@example.com"}),
        (Phone, {"number": "+44 20 7946 0000"}),
        (Address, {"line1": "1 High Street"}),
    ],
)
def test_contact_point_belongs_to_exactly_one_party(model, values, person, organization):
    with pytest.raises(PartyEndpointError, match="attached to 0 parties"):
        model.objects.create(**values)
    with pytest.raises(PartyEndpointError, match="attached to 2 parties"):
        model.objects.create(person=person, organization=organization, **values)
    with pytest.raises(ValidationError):
        model(person=person, organization=organization, **values).full_clean()
    # The database refuses too, when every Python guard is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=model).bulk_create([model(**values)])
    contact = model.objects.create(person=person, **values)
    assert contact.party == person


@pytest.mark.parametrize("model", [Email, Phone, Address])
def test_one_primary_per_party_and_kind(model, person, organization):
    values = {Email: {"email": "a@example.com"}, Phone: {"number": "1"}, Address: {"line1": "x"}}
    first = model.objects.create(person=person, is_primary=True, **values[model])
    with pytest.raises(DuplicatePrimaryContactError, match="already has a primary"):
        model.objects.create(person=person, is_primary=True, **values[model])
    # Another party, or a non-primary one, is fine.
    model.objects.create(organization=organization, is_primary=True, **values[model])
    model.objects.create(person=person, **values[model])
    # The database holds the line when save() is bypassed.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=model).bulk_create([model(person=person, is_primary=True, **values[model])])
    # Soft-deleting the primary frees the slot.
    first.delete()
    model.objects.create(person=person, is_primary=True, **values[model])


def test_primary_kinds_are_independent(person):
    Email.objects.create(person=person, email="a@example.com", is_primary=True)
    Phone.objects.create(person=person, number="1", is_primary=True)
    Address.objects.create(person=person, line1="x", is_primary=True)
    assert person.primary_email().email == "a@example.com"
    assert person.primary_phone().number == "1"
    assert person.primary_address().line1 == "x"


def test_bulk_paths_refuse_a_second_primary_with_the_package_error(person):
    Email.objects.create(person=person, email="a@example.com", is_primary=True)
    second = Email.objects.create(person=person, email="b@example.com")
    with pytest.raises(BulkWriteError, match="is_primary"):
        Email.objects.filter(pk=second.pk).update(is_primary=True)
    with pytest.raises(BulkWriteError):
        Email.objects.bulk_create([Email(person=person, email="c@example.com", is_primary=True)])
    second.is_primary = True
    with pytest.raises(BulkWriteError):
        Email.objects.bulk_update([second], ["is_primary"])
    with pytest.raises(PartyEndpointError):
        Email.objects.bulk_create([Email(email="orphan@example.com")])
    assert Email.objects.filter(is_primary=True).count() == 1


def test_restoring_a_second_primary_is_refused(person):
    old = Email.objects.create(person=person, email="old@example.com", is_primary=True)
    old.delete()
    Email.objects.create(person=person, email="new@example.com", is_primary=True)
    with pytest.raises(BulkWriteError):
        old.restore()
    assert Email.objects.get(is_primary=True).email == "new@example.com"


def test_clean_reports_a_duplicate_primary_on_the_field(person):
    Email.objects.create(person=person, email="a@example.com", is_primary=True)
    with pytest.raises(ValidationError) as caught:
        Email(person=person, email="b@example.com", is_primary=True).full_clean()
    assert "is_primary" in caught.value.message_dict


def test_string_forms(person):
    assert str(Phone(person=person, number="1", extension="22")) == "1 ext. 22"
    assert str(Address(person=person, line1="1 High St", city="Leeds")) == "1 High St, Leeds"
