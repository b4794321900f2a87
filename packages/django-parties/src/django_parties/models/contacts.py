"""Contact points: addresses, phones and emails, each attached to exactly one party."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import IntegrityError, models, router, transaction

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.models import BaseModel
from django_parties.exceptions import (
    DuplicatePrimaryContactError,
    PartyEndpointError,
)
from django_parties.models.base import (
    PARTY_KINDS,
    Party,
    exactly_one_set,
    set_party,
    set_party_fields,
)
from django_parties.models.query import ContactPointManager, ContactPointQuerySet
from django_parties.validation import check_instance

# The queryset and its manager class live in models.query; still importable from here.
__all__ = [
    "Address",
    "ContactPoint",
    "ContactPointManager",
    "ContactPointQuerySet",
    "Email",
    "Phone",
]


def _owner_fk(model: str, related_name: str) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        f"django_parties.{model}",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def _constraints(table: str) -> list[models.BaseConstraint]:
    one_owner = models.CheckConstraint(
        condition=exactly_one_set(*PARTY_KINDS), name=f"django_parties_{table}_one_party"
    )
    # At most one live primary per party: soft-deleted rows do not count.
    primaries = [
        ConditionalUniqueConstraint(
            fields=[kind],
            condition=models.Q(is_primary=True, deleted_at__isnull=True),
            name=f"django_parties_{table}_one_primary_per_{kind}",
        )
        for kind in PARTY_KINDS
    ]
    return [one_owner, *primaries]


class ContactPoint(BaseModel):
    """Abstract base of ``Address``, ``Phone`` and ``Email``.

    Each belongs to exactly one of ``person``, ``organization``, ``group``, and a party has at
    most one primary contact point of each kind (database constraints, also checked in
    ``save()`` for a clear error).
    """

    label = models.CharField(max_length=50, blank=True, help_text="home, work, billing...")
    is_primary = models.BooleanField(default=False)

    objects: ClassVar[ContactPointManager[Any]] = ContactPointManager()
    all_objects: ClassVar[ContactPointManager[Any]] = ContactPointManager(rows="all")
    deleted_objects: ClassVar[ContactPointManager[Any]] = ContactPointManager(rows="dead")

    class Meta:
        abstract = True

    @property
    def party(self) -> Party | None:
        return set_party(self)

    def check_owner(self) -> None:
        owners = set_party_fields(self)
        if len(owners) != 1:
            raise PartyEndpointError(self, "owner", owners)

    def other_primary(self) -> ContactPoint | None:
        """The party's live primary contact of this kind other than this one, or ``None``."""
        kind = set_party_fields(self)[0]
        others = type(self).objects.filter(**{f"{kind}_id": getattr(self, f"{kind}_id")})
        other: ContactPoint | None = others.filter(is_primary=True).exclude(pk=self.pk).first()
        return other

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        try:
            self.check_owner()
        except PartyEndpointError as error:
            raise ValidationError(str(error)) from error
        if self.is_primary and (existing := self.other_primary()) is not None:
            raise ValidationError({"is_primary": str(DuplicatePrimaryContactError(self, existing))})

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_instance(self, kwargs.get("update_fields"))
        self.check_owner()
        wants_primary = self.is_primary and self.deleted_at is None
        if wants_primary and (existing := self.other_primary()) is not None:
            raise DuplicatePrimaryContactError(self, existing)
        try:
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            with transaction.atomic(using=using):
                super().save(*args, **kwargs)
        except IntegrityError as error:
            # Lost a race with another writer making a primary: say so, not IntegrityError.
            if wants_primary and (existing := self.other_primary()) is not None:
                raise DuplicatePrimaryContactError(self, existing) from error
            raise


class Address(ContactPoint):
    person = _owner_fk("Person", "addresses")
    organization = _owner_fk("Organization", "addresses")
    group = _owner_fk("Group", "addresses")

    line1 = models.CharField("address line 1", max_length=255)
    line2 = models.CharField("address line 2", max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True, help_text="state, county, province")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        verbose_name_plural = "addresses"
        constraints = _constraints("address")

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.postal_code, self.city) if p)


class Phone(ContactPoint):
    person = _owner_fk("Person", "phones")
    organization = _owner_fk("Organization", "phones")
    group = _owner_fk("Group", "phones")

    number = models.CharField(max_length=32)
    extension = models.CharField(max_length=10, blank=True)

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        constraints = _constraints("phone")

    def __str__(self) -> str:
        return f"{self.number} ext. {self.extension}" if self.extension else self.number


class Email(ContactPoint):
    person = _owner_fk("Person", "emails")
    organization = _owner_fk("Organization", "emails")
    group = _owner_fk("Group", "emails")

    email = models.EmailField(db_index=True)

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        constraints = _constraints("email")

    def __str__(self) -> str:
        return self.email
