"""Bad input to every public entry point of django-parties: the package's own error, naming the
value, and nothing written.

Each row is ``(id, call, expected error, text the message names)``; ``call`` gets the rows in
``world``: a person ``ada`` with a primary email, an organization ``acme``, a group ``home``,
``ada`` employed by ``acme`` since 2020, a user ``ada_user`` linked to ``ada``.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.db.models import F, Value
from django.db.models.functions import Concat, Repeat

from django_parties.exceptions import (
    BulkWriteError,
    InvalidArgumentError,
    NotAPartyError,
    PartiesError,
    UnknownRelationshipTypeError,
)
from django_parties.models import (
    Address,
    Email,
    Group,
    Organization,
    PartyRelationship,
    Person,
    Phone,
)
from django_parties.services import end_relationship, relate, set_primary_contact

pytestmark = pytest.mark.django_db

NAIVE = datetime(2030, 1, 1, 12, 0)  # no time zone, on purpose
DAY = date(2024, 5, 1)
HUGE = "x" * 10_000
ARG = InvalidArgumentError
MODELS = (Person, Organization, Group, Email, Phone, Address, PartyRelationship)


@pytest.fixture
def world(db):
    ada_user = User.objects.create(username="ada")
    ada = Person.objects.create(first_name="Ada", last_name="Lovelace", user=ada_user)
    acme = Organization.objects.create(name="Acme")
    home = Group.objects.create(name="Home")
    email = Email.objects.create(person=ada, email="ada@example.com", is_primary=True)
    job = relate(ada, acme, "employee", valid_from=date(2020, 1, 1))
    gone_group = Group.objects.create(name="Gone")
    gone_group.delete()  # soft deletes: the rows stay, deleted_at is set
    old_job = relate(ada, acme, "contractor", valid_from=date(2019, 1, 1))
    old_job.delete()
    old_email = Email.objects.create(person=ada, email="old@example.com")
    old_email.delete()
    return {
        "gone_group": gone_group,
        "old_job": old_job,
        "old_email": old_email,
        "ada": ada,
        "acme": acme,
        "home": home,
        "email": email,
        "job": job,
        "ada_user": ada_user,
    }


def _database():
    """Every row of every model of the package (deleted ones too), and the users."""
    rows = {model.__name__: list(model.all_objects.order_by("pk").values()) for model in MODELS}
    rows["User"] = list(User.objects.order_by("pk").values())
    return rows


ROWS = [
    # relate()
    ("relate: from None", lambda w: relate(None, w["acme"], "employee"), NotAPartyError, "None"),
    (
        "relate: to wrong type",
        lambda w: relate(w["ada"], "Acme", "employee"),
        NotAPartyError,
        "Acme",
    ),
    (
        "relate: from unsaved",
        lambda w: relate(Person(first_name="Ghost"), w["acme"], "employee"),
        ARG,
        "from_party",
    ),
    (
        "relate: to soft-deleted",
        lambda w: relate(w["ada"], w["gone_group"], "member"),
        ARG,
        "to_party",
    ),
    ("relate: type None", lambda w: relate(w["ada"], w["acme"], None), ARG, "relationship_type"),
    ("relate: type int", lambda w: relate(w["ada"], w["acme"], 7), ARG, "relationship_type"),
    (
        "relate: unknown type",
        lambda w: relate(w["ada"], w["acme"], "overlord"),
        UnknownRelationshipTypeError,
        "overlord",
    ),
    (
        "relate: valid_from string",
        lambda w: relate(w["ada"], w["acme"], "owner", valid_from="2024-01-01"),
        ARG,
        "valid_from",
    ),
    (
        "relate: valid_from empty string is not today",
        lambda w: relate(w["ada"], w["acme"], "owner", valid_from=""),
        ARG,
        "valid_from",
    ),
    (
        "relate: valid_from naive datetime",
        lambda w: relate(w["ada"], w["acme"], "owner", valid_from=NAIVE),
        ARG,
        "valid_from",
    ),
    (
        "relate: valid_to int",
        lambda w: relate(w["ada"], w["acme"], "owner", valid_to=20300101),
        ARG,
        "valid_to",
    ),
    (
        "relate: title too long",
        lambda w: relate(w["ada"], w["acme"], "owner", title=HUGE),
        ARG,
        "title",
    ),
    (
        "relate: title None",
        lambda w: relate(w["ada"], w["acme"], "owner", title=None),
        ARG,
        "title",
    ),
    ("relate: notes int", lambda w: relate(w["ada"], w["acme"], "owner", notes=3), ARG, "notes"),
    (
        "relate: NUL in notes",
        lambda w: relate(w["ada"], w["acme"], "owner", notes="a\x00b"),
        ARG,
        "notes",
    ),
    # end_relationship()
    ("end: relationship None", lambda w: end_relationship(None), ARG, "relationship"),
    ("end: not a relationship", lambda w: end_relationship(w["ada"]), ARG, "relationship"),
    (
        "end: unsaved relationship",
        lambda w: end_relationship(PartyRelationship(valid_from=DAY)),
        ARG,
        "relationship",
    ),
    (
        "end: soft-deleted relationship",
        lambda w: end_relationship(w["old_job"], on=DAY),
        ARG,
        "relationship",
    ),
    ("end: on string", lambda w: end_relationship(w["job"], on="2024-05-01"), ARG, "on"),
    ("end: on naive datetime", lambda w: end_relationship(w["job"], on=NAIVE), ARG, "on"),
    ("end: on zero is not today", lambda w: end_relationship(w["job"], on=0), ARG, "on"),
    # set_primary_contact()
    ("primary: None", lambda w: set_primary_contact(None), ARG, "contact"),
    ("primary: a person", lambda w: set_primary_contact(w["ada"]), ARG, "contact"),
    (
        "primary: unsaved contact",
        lambda w: set_primary_contact(Email(person=w["ada"], email="new@example.com")),
        ARG,
        "contact",
    ),
    (
        "primary: soft-deleted contact",
        lambda w: set_primary_contact(w["old_email"]),
        ARG,
        "contact",
    ),
    # Person, Organization, Group: save() and objects.create()
    (
        "person: first_name too long",
        lambda w: Person.objects.create(first_name=HUGE),
        ARG,
        "first_name",
    ),
    ("person: first_name int", lambda w: Person.objects.create(first_name=42), ARG, "first_name"),
    ("person: last_name None", lambda w: Person.objects.create(last_name=None), ARG, "last_name"),
    (
        "person: date_of_birth string",
        lambda w: Person.objects.create(first_name="B", date_of_birth="1990-01-01"),
        ARG,
        "date_of_birth",
    ),
    (
        "person: date_of_birth naive datetime",
        lambda w: Person.objects.create(first_name="B", date_of_birth=NAIVE),
        ARG,
        "date_of_birth",
    ),
    (
        "person: unsaved user",
        lambda w: Person.objects.create(first_name="B", user=User(username="ghost")),
        ARG,
        "user",
    ),
    (
        "person: user id not a number",
        lambda w: Person.objects.create(first_name="B", user_id="abc"),
        ARG,
        "user",
    ),
    (
        "person: naive deleted_at",
        lambda w: Person.objects.create(first_name="B", deleted_at=NAIVE),
        ARG,
        "deleted_at",
    ),
    ("organization: name too long", lambda w: Organization.objects.create(name=HUGE), ARG, "name"),
    ("organization: name int", lambda w: Organization.objects.create(name=5), ARG, "name"),
    (
        "organization: tax_id None",
        lambda w: Organization.objects.create(name="Z", tax_id=None),
        ARG,
        "tax_id",
    ),
    ("group: name too long", lambda w: Group.objects.create(name=HUGE), ARG, "name"),
    (
        "group: group_type list",
        lambda w: Group.objects.create(name="G", group_type=["a"]),
        ARG,
        "group_type",
    ),
    # Email, Phone, Address
    (
        "email: not an address",
        lambda w: Email.objects.create(person=w["ada"], email="nope"),
        ARG,
        "email",
    ),
    ("email: None", lambda w: Email.objects.create(person=w["ada"], email=None), ARG, "email"),
    (
        "email: unsaved owner",
        lambda w: Email.objects.create(person=Person(first_name="G"), email="g@example.com"),
        ARG,
        "person",
    ),
    (
        "email: owner of the wrong model",
        lambda w: Email.objects.create(person_id="Acme", email="g@example.com"),
        ARG,
        "person",
    ),
    (
        "email: is_primary None",
        lambda w: Email.objects.create(person=w["ada"], email="n@example.com", is_primary=None),
        ARG,
        "is_primary",
    ),
    (
        "email: is_primary string",
        lambda w: Email.objects.create(person=w["ada"], email="n@example.com", is_primary="yes"),
        ARG,
        "is_primary",
    ),
    (
        "phone: number too long",
        lambda w: Phone.objects.create(person=w["ada"], number=HUGE),
        ARG,
        "number",
    ),
    (
        "phone: number empty",
        lambda w: Phone.objects.create(person=w["ada"], number=""),
        ARG,
        "number",
    ),
    (
        "phone: number int",
        lambda w: Phone.objects.create(person=w["ada"], number=5551234),
        ARG,
        "number",
    ),
    (
        "address: label too long",
        lambda w: Address.objects.create(group=w["home"], line1="1 Main St", label=HUGE),
        ARG,
        "label",
    ),
    (
        "address: line1 None",
        lambda w: Address.objects.create(group=w["home"], line1=None),
        ARG,
        "line1",
    ),
    # PartyRelationship saved by hand
    (
        "relationship: valid_from None",
        lambda w: PartyRelationship.objects.create(
            from_person=w["ada"], to_group=w["home"], relationship_type="member", valid_from=None
        ),
        ARG,
        "valid_from",
    ),
    (
        "relationship: unsaved to_group",
        lambda w: PartyRelationship.objects.create(
            from_person=w["ada"], to_group=Group(name="G"), relationship_type="member"
        ),
        ARG,
        "to_group",
    ),
    # Query helpers
    (
        "for_user: None matches nobody, it is refused",
        lambda w: Person.objects.for_user(None),
        ARG,
        "user",
    ),
    ("for_user: a string", lambda w: Person.objects.for_user("ada"), ARG, "user"),
    ("for_user: unsaved user", lambda w: Person.objects.for_user(User(username="x")), ARG, "user"),
    ("as_of: string", lambda w: PartyRelationship.objects.as_of("2024-01-01"), ARG, "as_of"),
    ("as_of: naive datetime", lambda w: w["acme"].people(as_of=NAIVE), ARG, "as_of"),
    ("is_current: int", lambda w: w["job"].is_current(5), ARG, "as_of"),
    (
        "primary_email: unsaved party",
        lambda w: Person(first_name="G").primary_email(),
        ARG,
        "person",
    ),
    (
        "relationships_from: unsaved",
        lambda w: Organization(name="O").relationships_from(),
        ARG,
        "organization",
    ),
    ("members: unsaved group", lambda w: Group(name="G").members(), ARG, "group"),
    (
        "organizations: unsaved person",
        lambda w: Person(first_name="G").organizations(),
        ARG,
        "person",
    ),
    # Bulk paths and QuerySet.update()
    (
        "bulk_create: name too long",
        lambda w: Organization.objects.bulk_create([Organization(name=HUGE)]),
        ARG,
        "name",
    ),
    (
        "bulk_create: a Person among organizations",
        lambda w: Organization.objects.bulk_create(
            [Organization(name="O"), Person(first_name="P")]
        ),
        ARG,
        "objs",
    ),
    (
        "bulk_create: email with unsaved owner",
        lambda w: Email.objects.bulk_create(
            [Email(person=Person(first_name="G"), email="g@e.com")]
        ),
        ARG,
        "person",
    ),
    (
        "bulk_update: naive date_of_birth",
        lambda w: Person.objects.bulk_update(
            [Person(pk=w["ada"].pk, first_name="Ada", date_of_birth=NAIVE)], ["date_of_birth"]
        ),
        ARG,
        "date_of_birth",
    ),
    ("update: name None", lambda w: Organization.objects.update(name=None), ARG, "name"),
    ("update: name too long", lambda w: Organization.objects.update(name=HUGE), ARG, "name"),
    ("update: title int", lambda w: PartyRelationship.objects.update(title=1), ARG, "title"),
    (
        "update: valid_to string",
        lambda w: PartyRelationship.objects.update(valid_to="soon"),
        ARG,
        "valid_to",
    ),
    ("update: unknown field", lambda w: Person.objects.update(nickname="x"), ARG, "nickname"),
    ("update: is_primary None", lambda w: Email.objects.update(is_primary=None), ARG, "is_primary"),
    ("update: user id of nobody", lambda w: Person.objects.update(user_id=10**9), ARG, "user_id"),
    (
        "update: unsaved user",
        lambda w: Person.objects.update(user=User(username="ghost")),
        ARG,
        "user",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "named"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_bad_input_is_refused_with_the_package_error_and_nothing_written(world, call, error, named):
    before = _database()
    with pytest.raises(error) as caught:
        call(world)
    assert isinstance(caught.value, PartiesError)
    assert named in str(caught.value)
    assert _database() == before


def test_a_long_value_is_shortened_in_the_message(world):
    with pytest.raises(InvalidArgumentError) as caught:
        Organization.objects.create(name=HUGE)
    assert len(str(caught.value)) < 300
    assert "(10002 characters)" in str(caught.value)


@pytest.mark.server_database
def test_update_with_an_expression_too_long_for_the_column_is_the_package_error(world):
    # The value is computed by the database, so only the database can refuse it; it must still
    # come back as the package's error. SQLite does not enforce column lengths.
    before = _database()
    with pytest.raises(BulkWriteError, match="Organization"):
        Organization.objects.update(name=Concat(F("name"), Repeat(Value("x"), 300)))
    assert _database() == before
