import pytest

from django_parties.models import Email, Person
from django_parties.services import set_primary_contact
from primitives_testkit import run_concurrently

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]


def test_concurrent_set_primary_leaves_exactly_one_primary():
    person = Person.objects.create(first_name="Ada")
    emails = Email.objects.bulk_create(
        [Email(person=person, email=f"e{i}@example.com") for i in range(16)]
    )
    run = run_concurrently(lambda i: set_primary_contact(emails[i]), threads=16)
    assert run.errors == []
    assert Email.objects.filter(person=person, is_primary=True).count() == 1


def test_concurrent_primary_creates_give_one_primary_and_package_errors():
    from django_parties.exceptions import DuplicatePrimaryContactError

    person = Person.objects.create(first_name="Ada")
    run = run_concurrently(
        lambda i: Email.objects.create(person=person, email=f"e{i}@example.com", is_primary=True),
        threads=16,
    )
    assert len(run.results) == 1
    assert len(run.errors) == 15
    assert all(isinstance(error, DuplicatePrimaryContactError) for error in run.errors)
    assert Email.objects.filter(person=person, is_primary=True).count() == 1
