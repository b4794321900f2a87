from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from django_parties.exceptions import BulkWriteError, MissingNameError, UserAlreadyLinkedError
from django_parties.models import Email, Group, Organization, PartyRelationship, Person

pytestmark = pytest.mark.django_db


def test_display_name_is_built_from_the_names():
    person = Person.objects.create(first_name="Ada", last_name="Lovelace")
    assert person.display_name == "Ada Lovelace"
    assert str(person) == "Ada Lovelace"
    named = Person.objects.create(first_name="Ada", display_name="Countess of Lovelace")
    assert str(named) == "Countess of Lovelace"


def test_a_person_needs_some_name():
    with pytest.raises(MissingNameError, match="expected a non-empty first_name or last_name"):
        Person.objects.create(date_of_birth=date(1990, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=Person).bulk_create([Person(date_of_birth=date(1990, 1, 1))])


@pytest.mark.parametrize("model", [Organization, Group])
def test_organizations_and_groups_need_a_name(model):
    with pytest.raises(MissingNameError, match="expected a non-empty name"):
        model.objects.create(name="")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=model).bulk_create([model(name="")])
    model.objects.create(name="Named")
    with pytest.raises(BulkWriteError, match="name"):
        model.objects.update(name="")
    assert model.objects.get().name == "Named"


def test_person_links_to_at_most_one_user_among_live_people():
    user = get_user_model().objects.create_user("ada")
    first = Person.objects.create(first_name="Ada", user=user)
    with pytest.raises(UserAlreadyLinkedError, match="already linked to Ada"):
        Person.objects.create(first_name="Ada again", user=user)
    # PostgreSQL and SQLite name the column, MariaDB the constraint.
    with pytest.raises(BulkWriteError, match=r"user_id|django_parties_person_one_per_user"):
        Person.objects.bulk_create([Person(first_name="Ada again", user=user)])
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=Person).bulk_create([Person(first_name="Ada again", user=user)])
    first.delete()  # a soft-deleted person releases the user
    second = Person.objects.create(first_name="Ada again", user=user)
    assert list(Person.objects.for_user(user)) == [second]


def test_people_without_users_do_not_collide():
    Person.objects.create(first_name="A")
    Person.objects.create(first_name="B")
    assert Person.objects.filter(user__isnull=True).count() == 2


def _employ(person, organization, **kwargs):
    return PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee", **kwargs
    )


def test_employees_of_an_organization_cost_one_query(organization, django_assert_num_queries):
    people = Person.objects.bulk_create([Person(first_name=f"P{i}") for i in range(30)])
    for person in people:
        _employ(person, organization)
    PartyRelationship.objects.create(
        from_person=people[0], to_organization=organization, relationship_type="owner"
    )
    with django_assert_num_queries(1):
        employees = list(organization.employees())
    assert len(employees) == 30
    with django_assert_num_queries(1):
        assert list(organization.people("owner")) == [people[0]]


def test_employees_as_of_a_date_and_without_deleted_people(organization, person, other_person):
    _employ(person, organization, valid_from=date(2020, 1, 1), valid_to=date(2022, 1, 1))
    _employ(other_person, organization, valid_from=date(2021, 1, 1))
    assert set(organization.employees(as_of=date(2020, 6, 1))) == {person}
    assert set(organization.employees(as_of=date(2021, 6, 1))) == {person, other_person}
    assert set(organization.employees()) == {other_person}
    other_person.delete()
    assert list(organization.employees()) == []


def test_a_persons_organizations(
    person, organization, other_organization, django_assert_num_queries
):
    _employ(person, organization)
    PartyRelationship.objects.create(
        from_person=person, to_organization=other_organization, relationship_type="customer"
    )
    with django_assert_num_queries(1):
        assert set(person.organizations()) == {organization, other_organization}
    assert list(person.organizations("customer")) == [other_organization]
    other_organization.delete()
    assert list(person.organizations()) == [organization]


def test_group_members(person, other_person, group):
    PartyRelationship.objects.create(from_person=person, to_group=group, relationship_type="member")
    PartyRelationship.objects.create(
        from_person=other_person, to_group=group, relationship_type="contact"
    )
    assert list(group.members()) == [person]


def test_primary_contacts_for_a_list_in_one_query(django_assert_num_queries):
    people = Person.objects.bulk_create([Person(first_name=f"P{i}") for i in range(20)])
    Email.objects.bulk_create(
        [Email(person=p, email=f"p{i}@example.com", is_primary=True) for i, p in enumerate(people)]
        + [Email(person=p, email=f"old{i}@example.com") for i, p in enumerate(people)]
    )
    with django_assert_num_queries(1):
        listed = {p.first_name: p.primary_email for p in Person.objects.with_primary_contacts()}
    assert listed["P3"] == "p3@example.com"
    assert len(listed) == 20


def test_primary_email_of_one_party(organization, django_assert_num_queries):
    organization.emails.create(email="info@example.com")
    primary = organization.emails.create(email="billing@example.com", is_primary=True)
    with django_assert_num_queries(1):
        assert organization.primary_email() == primary
    primary.delete()
    assert organization.primary_email() is None
    assert Organization.objects.with_primary_contacts().get().primary_email is None


def test_bulk_create_builds_display_names_and_refuses_nameless_parties_like_save():
    ada, named = Person.objects.bulk_create(
        [Person(first_name="Ada", last_name="Lovelace"), Person(first_name="A", display_name="B")]
    )
    assert Person.objects.get(pk=ada.pk).display_name == "Ada Lovelace"
    assert Person.objects.get(pk=named.pk).display_name == "B"
    with pytest.raises(MissingNameError):
        Person.objects.bulk_create([Person(first_name="Grace"), Person(date_of_birth=date.today())])
    for model in (Organization, Group):
        with pytest.raises(MissingNameError):
            model.objects.bulk_create([model(name="Fine"), model(name="")])
        assert not model.objects.exists()
    assert Person.objects.count() == 2


def test_with_primary_contacts_annotates_the_phone_too_for_every_kind(person, organization, group):
    for party, number in ((person, "1"), (organization, "2"), (group, "3")):
        party.phones.create(number=f"old-{number}")
        party.phones.create(number=number, is_primary=True)
        party.emails.create(email=f"{number}@example.com")  # not primary: not shown
    organization.phones.get(is_primary=True).delete()  # soft-deleted: not shown either
    assert [(p.primary_phone, p.primary_email) for p in Person.objects.with_primary_contacts()] == [
        ("1", None)
    ]
    org = Organization.objects.with_primary_contacts().get()
    assert (org.primary_phone, org.primary_email) == (None, None)
    assert Group.objects.with_primary_contacts().get().primary_phone == "3"
