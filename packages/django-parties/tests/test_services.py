from datetime import date

import pytest

from django_parties.exceptions import InvalidValidityPeriodError, NotAPartyError
from django_parties.models import Email, PartyRelationship
from django_parties.services import end_relationship, relate, set_primary_contact
from django_parties.signals import relationship_ended, relationship_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    events = []

    def on_start(relationship, **kwargs):
        events.append(("started", relationship))

    def on_end(relationship, **kwargs):
        events.append(("ended", relationship))

    relationship_started.connect(on_start, dispatch_uid="test-start")
    relationship_ended.connect(on_end, dispatch_uid="test-end")
    yield events
    relationship_started.disconnect(dispatch_uid="test-start")
    relationship_ended.disconnect(dispatch_uid="test-end")


def test_relate_any_two_kinds_of_party(person, organization, group, received):
    rel = relate(group, organization, "customer", title="Family account")
    assert rel.from_group == group
    assert rel.to_organization == organization
    guardian = relate(person, person, "guardian", valid_from=date(2020, 1, 1))
    assert guardian.from_person == guardian.to_person == person
    assert received == [("started", rel), ("started", guardian)]


def test_relate_refuses_what_is_not_a_party(person):
    with pytest.raises(NotAPartyError, match="expected a Person, Organization or Group"):
        relate(person, "Northside", "employee")
    assert not PartyRelationship.objects.exists()


def test_end_relationship(person, organization, received):
    rel = relate(person, organization, "employee", valid_from=date(2020, 1, 1))
    end_relationship(rel, on=date(2021, 1, 1))
    rel.refresh_from_db()
    assert rel.valid_to == date(2021, 1, 1)
    assert received[-1] == ("ended", rel)
    with pytest.raises(InvalidValidityPeriodError):
        end_relationship(rel, on=date(2019, 1, 1))
    rel.refresh_from_db()
    assert rel.valid_to == date(2021, 1, 1)


def test_a_failing_receiver_rolls_the_relationship_back(person, organization):
    def boom(**kwargs):
        raise RuntimeError("audit store down")

    relationship_started.connect(boom, dispatch_uid="boom")
    try:
        with pytest.raises(RuntimeError):
            relate(person, organization, "employee")
    finally:
        relationship_started.disconnect(dispatch_uid="boom")
    assert not PartyRelationship.all_objects.exists()


def test_set_primary_contact_switches(person):
    old = Email.objects.create(person=person, email="old@example.com", is_primary=True)
    new = Email.objects.create(person=person, email="new@example.com")
    set_primary_contact(new)
    assert person.primary_email() == new
    old.refresh_from_db()
    assert not old.is_primary


def test_set_primary_contact_touches_both_rows_in_a_fixed_number_of_queries(
    person, organization, django_assert_num_queries
):
    Email.objects.create(organization=organization, email="org@example.com", is_primary=True)
    old = Email.objects.create(person=person, email="old@example.com", is_primary=True)
    others = Email.objects.bulk_create(
        [Email(person=person, email=f"e{i}@example.com") for i in range(5)]
    )
    new = Email.objects.get(pk=others[-1].pk)
    old_stamp = old.updated_at
    new_stamp = new.updated_at
    with django_assert_num_queries(10):
        # party, lock, demote, promote; savepoints around the call and around each UPDATE
        set_primary_contact(new)
    assert new.is_primary
    assert list(Email.objects.filter(person=person, is_primary=True)) == [new]
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.is_primary
    assert old.updated_at > old_stamp
    assert new.updated_at > new_stamp
    # Another party's primary is left alone.
    assert Email.objects.get(organization=organization).is_primary
