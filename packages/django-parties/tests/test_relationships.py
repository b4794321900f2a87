from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from django_parties.exceptions import (
    BulkWriteError,
    InvalidValidityPeriodError,
    PartyEndpointError,
    UnknownRelationshipTypeError,
)
from django_parties.models import PartyRelationship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_reference_api_creates_a_relationship(person, organization):
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee"
    )
    rel.refresh_from_db()
    assert rel.from_party == person
    assert rel.to_party == organization
    assert rel.valid_from == TODAY
    assert rel.is_current()
    assert str(rel) == "Ada Lovelace is employee of Northside Clinic"


@pytest.mark.parametrize(
    ("sides", "bad_side"),
    [
        ({"to_organization"}, "from"),
        ({"from_person", "from_group", "to_organization"}, "from"),
        ({"from_person"}, "to"),
        ({"from_person", "to_organization", "to_group"}, "to"),
    ],
)
def test_each_side_names_exactly_one_party(person, organization, group, sides, bad_side):
    parties = {"person": person, "organization": organization, "group": group}
    kwargs = {field: parties[field.split("_", 1)[1]] for field in sides}
    with pytest.raises(PartyEndpointError, match=f"expected exactly one of {bad_side}_person"):
        PartyRelationship.objects.create(relationship_type="member", **kwargs)
    with pytest.raises(ValidationError):
        PartyRelationship(relationship_type="member", **kwargs).full_clean()
    assert not PartyRelationship.all_objects.exists()


def test_database_refuses_two_from_parties_when_save_is_bypassed(person, organization, group):
    # QuerySet.update skips save(): the CheckConstraint still holds, and the error is ours.
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee"
    )
    with pytest.raises(BulkWriteError, match="from_group"):
        PartyRelationship.objects.filter(pk=rel.pk).update(from_group=group)
    with pytest.raises(BulkWriteError):
        PartyRelationship.objects.filter(pk=rel.pk).update(to_organization=None)
    rel.refresh_from_db()
    assert rel.from_group_id is None
    assert rel.to_organization_id == organization.pk


def test_database_constraint_itself_rejects_a_bad_row(person, organization, group):
    # Bypass every Python guard: the raw row must still be refused by the database.
    fields = {
        "from_person": person,
        "from_group": group,
        "to_organization": organization,
        "relationship_type": "member",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=PartyRelationship).bulk_create([PartyRelationship(**fields)])


def test_bulk_create_checks_each_row(person, organization):
    good = PartyRelationship(
        from_person=person, to_organization=organization, relationship_type="owner"
    )
    bad = PartyRelationship(from_person=person, relationship_type="owner")
    with pytest.raises(PartyEndpointError):
        PartyRelationship.objects.bulk_create([good, bad])
    assert not PartyRelationship.objects.exists()


def test_bulk_update_checks_each_row(person, organization):
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="owner"
    )
    rel.to_organization = None
    with pytest.raises(PartyEndpointError):
        PartyRelationship.objects.bulk_update([rel], ["to_organization"])


def test_bulk_update_takes_field_names_from_a_generator(person, organization):
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="owner"
    )
    rel.title = "Founder"
    updated = PartyRelationship.objects.bulk_update([rel], (name for name in ["title"]))
    assert updated == 1
    rel.refresh_from_db()
    assert rel.title == "Founder"


def test_end_must_follow_start(person, organization):
    with pytest.raises(InvalidValidityPeriodError, match="does not follow valid_from"):
        PartyRelationship.objects.create(
            from_person=person,
            to_organization=organization,
            relationship_type="employee",
            valid_from=date(2024, 1, 10),
            valid_to=date(2024, 1, 10),
        )
    rel = PartyRelationship.objects.create(
        from_person=person,
        to_organization=organization,
        relationship_type="employee",
        valid_from=date(2024, 1, 10),
    )
    with pytest.raises(BulkWriteError):
        PartyRelationship.objects.filter(pk=rel.pk).update(valid_to=date(2024, 1, 1))
    rel.valid_to = date(2024, 1, 1)
    with pytest.raises(ValidationError) as caught:
        rel.full_clean()
    assert "valid_to" in caught.value.message_dict


def test_unknown_relationship_type_is_refused_until_declared(person, organization, settings):
    with pytest.raises(UnknownRelationshipTypeError, match="'veterinarian' is unknown"):
        PartyRelationship.objects.create(
            from_person=person, to_organization=organization, relationship_type="veterinarian"
        )
    with pytest.raises(UnknownRelationshipTypeError):
        PartyRelationship.objects.all().update(relationship_type="veterinarian")
    settings.PARTIES_EXTRA_RELATIONSHIP_TYPES = {"veterinarian": "Veterinarian"}
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="veterinarian"
    )
    assert rel.pk is not None


def test_as_of_and_current(person, organization, other_organization):
    past = PartyRelationship.objects.create(
        from_person=person,
        to_organization=organization,
        relationship_type="employee",
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    now = PartyRelationship.objects.create(
        from_person=person,
        to_organization=other_organization,
        relationship_type="employee",
        valid_from=date(2021, 1, 1),
    )
    future = PartyRelationship.objects.create(
        from_person=person,
        to_organization=organization,
        relationship_type="owner",
        valid_from=TODAY + timedelta(days=3),
    )
    assert set(PartyRelationship.objects.as_of(date(2020, 6, 1))) == {past}
    # valid_to is exclusive: on 2021-01-01 only the new job holds.
    assert set(PartyRelationship.objects.as_of(date(2021, 1, 1))) == {now}
    assert set(PartyRelationship.objects.current()) == {now}
    assert set(PartyRelationship.objects.as_of(TODAY + timedelta(days=3))) == {now, future}
    assert not past.is_current()


def test_soft_deleted_relationship_is_hidden(person, organization):
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee"
    )
    rel.delete()
    assert not PartyRelationship.objects.current().exists()
    assert list(organization.employees()) == []
    assert PartyRelationship.all_objects.filter(pk=rel.pk).exists()


def test_with_parties_lists_without_n_plus_one(
    person, other_person, organization, group, django_assert_num_queries
):
    for party in (person, other_person):
        PartyRelationship.objects.create(
            from_person=party, to_organization=organization, relationship_type="employee"
        )
        PartyRelationship.objects.create(
            from_person=party, to_group=group, relationship_type="member"
        )
    with django_assert_num_queries(1):
        labels = [str(rel) for rel in PartyRelationship.objects.with_parties()]
    assert len(labels) == 4


def test_relationships_from_and_to(person, organization):
    rel = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="billing"
    )
    assert list(person.relationships_from()) == [rel]
    assert list(organization.relationships_to()) == [rel]
    assert list(person.relationships_to()) == []


def test_of_type_keeps_only_the_named_kinds(person, organization, group):
    employee = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee"
    )
    owner = PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="owner"
    )
    PartyRelationship.objects.create(from_person=person, to_group=group, relationship_type="member")
    assert list(PartyRelationship.objects.of_type("owner")) == [owner]
    assert set(PartyRelationship.objects.of_type("employee", "owner")) == {employee, owner}
    assert not PartyRelationship.objects.of_type("guardian").exists()
