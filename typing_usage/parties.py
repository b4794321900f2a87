"""The public types of django-parties, as a user's code sees them."""

from datetime import date

from typing_extensions import assert_type

import django_parties
from django_parties import (
    Organization,
    PartiesError,
    PartyRelationship,
    Person,
    end_relationship,
    relate,
)


def usage(ada: Person, acme: Organization, today: date) -> None:
    assert_type(django_parties.__version__, str)
    link = relate(ada, acme, "employee", valid_from=today)
    assert_type(link, PartyRelationship)
    assert_type(end_relationship(link, on=today), PartyRelationship)
    error: Exception = PartiesError("x")
    assert_type(error, Exception)
