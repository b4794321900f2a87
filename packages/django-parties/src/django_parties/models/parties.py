"""The three kinds of party: ``Person``, ``Organization`` and ``Group``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_parties.exceptions import MissingNameError, UserAlreadyLinkedError
from django_parties.models.base import Party
from django_parties.models.contacts import Address, Email, Phone
from django_parties.models.query import (
    PartyManager,
    PartyQuerySet,
    PartyRelationshipQuerySet,
    PersonManager,
    PersonQuerySet,
)
from django_parties.models.relationships import PartyRelationship

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

# The querysets and their manager classes live in models.query; still importable from here.
__all__ = [
    "Group",
    "LinkedParty",
    "Organization",
    "PartyManager",
    "PartyQuerySet",
    "Person",
    "PersonManager",
    "PersonQuerySet",
]


class LinkedParty(Party):
    """A party with what points at it: contact points through the ``emails``, ``phones`` and
    ``addresses`` related managers (which hide soft-deleted rows), and relationships.

    Declared here, above the contact point and relationship models, so that ``base.Party`` (which
    those models name) imports none of them.
    """

    if TYPE_CHECKING:  # reverse relations, declared by each contact point model's foreign key
        emails: RelatedManager[Email]
        phones: RelatedManager[Phone]
        addresses: RelatedManager[Address]

    class Meta:
        abstract = True

    def primary_email(self) -> Email | None:
        """The party's primary ``Email`` or ``None`` (one query)."""
        self.require_saved()
        primary: Email | None = self.emails.filter(is_primary=True).first()
        return primary

    def primary_phone(self) -> Phone | None:
        """The party's primary ``Phone`` or ``None`` (one query)."""
        self.require_saved()
        primary: Phone | None = self.phones.filter(is_primary=True).first()
        return primary

    def primary_address(self) -> Address | None:
        """The party's primary ``Address`` or ``None`` (one query)."""
        self.require_saved()
        primary: Address | None = self.addresses.filter(is_primary=True).first()
        return primary

    def relationships_from(self) -> PartyRelationshipQuerySet:
        """Live relationships where this party is the "from" side (a queryset, not evaluated)."""
        self.require_saved()
        links: PartyRelationshipQuerySet = PartyRelationship.objects.filter(
            **{f"from_{self.party_kind}": self}
        )
        return links

    def relationships_to(self) -> PartyRelationshipQuerySet:
        """Live relationships where this party is the "to" side (a queryset, not evaluated)."""
        self.require_saved()
        links: PartyRelationshipQuerySet = PartyRelationship.objects.filter(
            **{f"to_{self.party_kind}": self}
        )
        return links


class Person(LinkedParty):
    """A human being. Not a login: a person may be linked to at most one user, and back."""

    party_kind = "person"

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    display_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How to address the person; built from the names when left empty.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parties_persons",
        help_text="The login of this person, if they have one.",
    )

    objects: ClassVar[PersonManager[Person]] = PersonManager()
    all_objects: ClassVar[PersonManager[Person]] = PersonManager(rows="all")
    deleted_objects: ClassVar[PersonManager[Person]] = PersonManager(rows="dead")

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        ordering = ["last_name", "first_name"]
        constraints = [
            # One live person per user; a soft-deleted person releases the user.
            ConditionalUniqueConstraint(
                fields=["user"],
                condition=models.Q(deleted_at__isnull=True),
                name="django_parties_person_one_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(first_name="", last_name="", display_name=""),
                name="django_parties_person_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def check_name(self) -> None:
        """Fill ``display_name`` from the names when empty; ``MissingNameError`` if none."""
        if not self.display_name:
            self.display_name = self.full_name
        if not self.display_name:
            raise MissingNameError(self, ["first_name", "last_name", "display_name"])

    def check_links(self) -> None:
        """``UserAlreadyLinkedError`` if the user is linked to another live person."""
        if self.user_id is not None and self.deleted_at is None:
            existing = Person.objects.filter(user_id=self.user_id).exclude(pk=self.pk).first()
            if existing is not None:
                raise UserAlreadyLinkedError(self, self.user, existing)

    def organizations(
        self, relationship_type: str | None = None, as_of: date | None = None
    ) -> PartyQuerySet:
        """Organizations this person relates to now (or ``as_of``), optionally of one kind.

        One query whatever the number of organizations.
        """
        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(from_person=self)
        if relationship_type is not None:
            links = links.filter(relationship_type=relationship_type)
        found: PartyQuerySet = Organization.objects.filter(pk__in=links.values("to_organization"))
        return found


class Organization(LinkedParty):
    """A company, clinic, workshop, charity, government body..."""

    party_kind = "organization"
    NAME_FIELDS = ("name",)

    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=255, blank=True)
    org_type = models.CharField(
        "type", max_length=50, blank=True, help_text="Free text: clinic, company, charity..."
    )
    tax_id = models.CharField("tax id", max_length=50, blank=True)

    objects: ClassVar[PartyManager[Organization]] = PartyManager()
    all_objects: ClassVar[PartyManager[Organization]] = PartyManager(rows="all")
    deleted_objects: ClassVar[PartyManager[Organization]] = PartyManager(rows="dead")

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="django_parties_organization_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def check_name(self) -> None:
        if not self.name:
            raise MissingNameError(self, ["name"])

    def people(
        self, relationship_type: str | None = None, as_of: date | None = None
    ) -> PersonQuerySet:
        """People related to this organization now (or ``as_of``), optionally of one kind.

        One query whatever the number of people.
        """
        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(to_organization=self)
        if relationship_type is not None:
            links = links.filter(relationship_type=relationship_type)
        found: PersonQuerySet = Person.objects.filter(pk__in=links.values("from_person"))
        return found

    def employees(self, as_of: date | None = None) -> PersonQuerySet:
        """People employed by this organization now (or ``as_of``): one query."""
        return self.people("employee", as_of=as_of)


class Group(LinkedParty):
    """A set of parties with a name: a household, a team, a department."""

    party_kind = "group"
    NAME_FIELDS = ("name",)

    name = models.CharField(max_length=200)
    group_type = models.CharField(
        "type", max_length=50, blank=True, help_text="Free text: household, team..."
    )

    objects: ClassVar[PartyManager[Group]] = PartyManager()
    all_objects: ClassVar[PartyManager[Group]] = PartyManager(rows="all")
    deleted_objects: ClassVar[PartyManager[Group]] = PartyManager(rows="dead")

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="django_parties_group_has_a_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def check_name(self) -> None:
        if not self.name:
            raise MissingNameError(self, ["name"])

    def members(self, as_of: date | None = None) -> PersonQuerySet:
        """People who are members of this group now (or ``as_of``): one query."""
        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(
            to_group=self, relationship_type="member"
        )
        found: PersonQuerySet = Person.objects.filter(pk__in=links.values("from_person"))
        return found
