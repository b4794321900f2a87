"""Each conditional uniqueness of django-parties is the database's: a raw-SQL duplicate is
refused on every database, and 32 racing writers leave exactly one winner on PostgreSQL and
MariaDB."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from django_basemodels import ConditionalUniqueConstraint
from django_parties.exceptions import DuplicatePrimaryContactError, UserAlreadyLinkedError
from django_parties.models import Address, Email, Group, Organization, Person, Phone
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)

THREADS = 32
KINDS = ("person", "organization", "group")
CONTACTS = {
    Email: {"email": "a@example.com"},
    Phone: {"number": "+44 20 7946 0000"},
    Address: {"line1": "1 High Street"},
}


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    primaries = {
        f"django_parties_{model._meta.model_name}_one_primary_per_{kind}"
        for model in CONTACTS
        for kind in KINDS
    }
    names = [*primaries, "django_parties_person_one_per_user"]
    assert conditional_unique_constraints("django_parties") == dict.fromkeys(
        names, ConditionalUniqueConstraint
    )


def make_party(kind):
    if kind == "person":
        return Person.objects.create(first_name="Ada")
    if kind == "organization":
        return Organization.objects.create(name="Acme")
    return Group.objects.create(name="Household")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("model", list(CONTACTS), ids=lambda model: model.__name__)
def test_raw_sql_cannot_add_a_second_live_primary(db, model, kind):
    party = make_party(kind)
    values = {kind: party, **CONTACTS[model]}
    model.objects.create(is_primary=True, **values)
    name = f"django_parties_{model._meta.model_name}_one_primary_per_{kind}"
    with refused_by_unique_constraint(model, name):
        insert_by_raw_sql(model(is_primary=True, **values))
    insert_by_raw_sql(model(is_primary=False, **values))  # a second one that is not primary
    assert model.objects.filter(**{kind: party}).count() == 2


def test_raw_sql_cannot_link_a_user_to_two_live_persons(db):
    user = get_user_model().objects.create_user("ada")
    person = Person.objects.create(first_name="Ada", user=user)
    with refused_by_unique_constraint(Person, "django_parties_person_one_per_user"):
        insert_by_raw_sql(Person(first_name="Ada", user=user))
    person.delete()
    insert_by_raw_sql(Person(first_name="Ada", user=user))  # a deleted person frees the user
    assert Person.objects.filter(user=user).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_primary_emails_for_one_person_leave_one():
    person = Person.objects.create(first_name="Ada")
    run = run_concurrently(
        lambda i: Email.objects.create(person=person, email=f"e{i}@example.com", is_primary=True),
        threads=THREADS,
    )
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [DuplicatePrimaryContactError] * (THREADS - 1)
    assert Email.objects.filter(person=person, is_primary=True).count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_persons_for_one_user_leave_one():
    user = get_user_model().objects.create_user("ada")
    run = run_concurrently(
        lambda i: Person.objects.create(first_name=f"Ada {i}", user=user).pk, threads=THREADS
    )
    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    # Losers that saw the winner get the package's error; those that raced past save()'s check
    # meet the database's constraint.
    assert all(isinstance(e, (UserAlreadyLinkedError, IntegrityError)) for e in run.errors)
    assert Person.objects.filter(user=user).count() == 1
