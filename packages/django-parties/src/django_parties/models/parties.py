"""The three kinds of party: ``Person``, ``Organization`` and ``Group``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Subquery

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.query import AllObjectsManager, DeletedObjectsManager, SoftDeleteManager
from django_parties.exceptions import InvalidArgumentError, MissingNameError, UserAlreadyLinkedError
from django_parties.models.base import GuardedQuerySet, Party


class PartyQuerySet(GuardedQuerySet):
    """Query helpers shared by the three party models; each one is a single query."""

    def check_row(self, obj: Any) -> None:
        # bulk_create/bulk_update: the same name rules as save(), with the same error.
        obj.check_name()

    def with_primary_contacts(self) -> PartyQuerySet:
        """Annotate ``primary_email`` and ``primary_phone`` (strings or ``None``).

        Subqueries, not a join per row: listing a thousand parties with their primary email is
        still one query.
        """
        from django_parties.models.contacts import Email, Phone

        kind = self.model.party_kind
        live_primary = {kind: OuterRef("pk"), "is_primary": True}
        annotated: PartyQuerySet = self.annotate(
            primary_email=Subquery(Email.objects.filter(**live_primary).values("email")[:1]),
            primary_phone=Subquery(Phone.objects.filter(**live_primary).values("number")[:1]),
        )
        return annotated


class PersonQuerySet(PartyQuerySet):
    def for_user(self, user: Any) -> PersonQuerySet:
        """The live person linked to ``user`` (a saved user: ``None`` would match the unlinked)."""
        user_model = get_user_model()
        if not isinstance(user, user_model) or user.pk is None or user._state.adding:
            raise InvalidArgumentError("user", user, f"a saved {user_model._meta.label}")
        mine: PersonQuerySet = self.filter(user=user)
        return mine


# django-basemodels builds its soft-delete managers at run time (from_queryset), which type
# checkers cannot follow: the classes based on them, and the model attributes holding them,
# carry ignores until django-basemodels gives its managers static types.
class PartyManager(SoftDeleteManager.from_queryset(PartyQuerySet)):  # type: ignore[misc]
    """Default manager of the party models: hides soft-deleted rows."""


class PersonManager(SoftDeleteManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    """Default manager of ``Person``: hides soft-deleted rows."""


class Person(Party):
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

    objects = PersonManager()  # type: ignore[misc]
    all_objects = AllObjectsManager.from_queryset(PersonQuerySet)()  # type: ignore[misc]
    deleted_objects = DeletedObjectsManager.from_queryset(PersonQuerySet)()  # type: ignore[misc]

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
        from django_parties.models.relationships import PartyRelationship

        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(from_person=self)
        if relationship_type is not None:
            links = links.filter(relationship_type=relationship_type)
        found: PartyQuerySet = Organization.objects.filter(pk__in=links.values("to_organization"))
        return found


class Organization(Party):
    """A company, clinic, workshop, charity, government body..."""

    party_kind = "organization"
    NAME_FIELDS = ("name",)

    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=255, blank=True)
    org_type = models.CharField(
        "type", max_length=50, blank=True, help_text="Free text: clinic, company, charity..."
    )
    tax_id = models.CharField("tax id", max_length=50, blank=True)

    objects = PartyManager()  # type: ignore[misc]
    all_objects = AllObjectsManager.from_queryset(PartyQuerySet)()  # type: ignore[misc]
    deleted_objects = DeletedObjectsManager.from_queryset(PartyQuerySet)()  # type: ignore[misc]

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
        from django_parties.models.relationships import PartyRelationship

        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(to_organization=self)
        if relationship_type is not None:
            links = links.filter(relationship_type=relationship_type)
        found: PersonQuerySet = Person.objects.filter(pk__in=links.values("from_person"))
        return found

    def employees(self, as_of: date | None = None) -> PersonQuerySet:
        """People employed by this organization now (or ``as_of``): one query."""
        return self.people("employee", as_of=as_of)


class Group(Party):
    """A set of parties with a name: a household, a team, a department."""

    party_kind = "group"
    NAME_FIELDS = ("name",)

    name = models.CharField(max_length=200)
    group_type = models.CharField(
        "type", max_length=50, blank=True, help_text="Free text: household, team..."
    )

    objects = PartyManager()  # type: ignore[misc]
    all_objects = AllObjectsManager.from_queryset(PartyQuerySet)()  # type: ignore[misc]
    deleted_objects = DeletedObjectsManager.from_queryset(PartyQuerySet)()  # type: ignore[misc]

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
        from django_parties.models.relationships import PartyRelationship

        self.require_saved()
        links = PartyRelationship.objects.as_of(as_of).filter(
            to_group=self, relationship_type="member"
        )
        found: PersonQuerySet = Person.objects.filter(pk__in=links.values("from_person"))
        return found
