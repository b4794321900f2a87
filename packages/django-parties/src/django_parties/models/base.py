"""What every party model shares, and the "exactly one party" rule used by relationships and
contact points."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import DataError, IntegrityError, models, transaction

from django_basemodels.models import BaseModel
from django_basemodels.query import SoftDeleteQuerySet
from django_parties.exceptions import BulkWriteError, InvalidArgumentError, NotAPartyError
from django_parties.validation import check_instance, check_update_values

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from django_parties.models.contacts import Address, Email, Phone
    from django_parties.models.relationships import PartyRelationshipQuerySet

_T = TypeVar("_T")

PARTY_KINDS = ("person", "organization", "group")


def exactly_one_set(*fields: str) -> models.Q:
    """A Q that holds when exactly one of ``fields`` is not NULL (for a CheckConstraint)."""
    condition = models.Q()
    for chosen in fields:
        branch = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                branch &= models.Q(**{f"{other}__isnull": True})
        condition |= branch
    return condition


def set_party_fields(obj: Any, prefix: str = "") -> list[str]:
    """The names of the ``<prefix>person/organization/group`` foreign keys that ``obj`` sets."""
    return [
        f"{prefix}{kind}" for kind in PARTY_KINDS if getattr(obj, f"{prefix}{kind}_id") is not None
    ]


def set_party(obj: Any, prefix: str = "") -> Party | None:
    """The party behind the first set ``<prefix><kind>`` key of ``obj``, or ``None``."""
    chosen = set_party_fields(obj, prefix)
    party: Party | None = getattr(obj, chosen[0]) if chosen else None
    return party


def party_kind(party: Any) -> str:
    """``"person"``, ``"organization"`` or ``"group"`` for a party instance."""
    kind = getattr(type(party), "party_kind", None)
    if not isinstance(kind, str) or kind not in PARTY_KINDS or not isinstance(party, Party):
        raise NotAPartyError(party)
    return kind


# Shared by the querysets of several models (persons, organizations, contact points...), so the
# row type stays open here.
class GuardedQuerySet(SoftDeleteQuerySet[Any]):
    """Bulk writes that a database constraint refuses are rolled back and reported as
    ``BulkWriteError`` instead of a bare ``IntegrityError``.

    Subclasses validate rows in Python first where they can (``check_row``), for a precise error.
    """

    def check_row(self, obj: Any) -> None:
        """Raise the package's error for a row that would break a rule (nothing by default)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            self._check_model(obj)
            check_instance(obj)
            self.check_row(obj)
        return self._refusing([], super().bulk_create, objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        objs = list(objs)
        fields = list(fields)  # read once: a generator would be empty by the time Django reads it
        for obj in objs:
            self._check_model(obj)
            check_instance(obj, fields)
            self.check_row(obj)
        return self._refusing(fields, super().bulk_update, objs, fields, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        check_update_values(self.model, kwargs)
        return self._refusing(list(kwargs), super().update, **kwargs)

    def restore(self) -> int:
        # Bringing back a row can collide with its live successor (a second primary email...).
        return self._refusing(["deleted_at"], super().restore)

    def _refusing(
        self, fields: list[str], write: Callable[..., _T], *args: Any, **kwargs: Any
    ) -> _T:
        try:
            with transaction.atomic(using=self.db):
                return write(*args, **kwargs)
        except (IntegrityError, DataError) as error:
            # DataError: an expression computed a value the column cannot hold (too long...).
            raise BulkWriteError(self.model, fields, error) from error

    def _check_model(self, obj: Any) -> None:
        if not isinstance(obj, self.model):
            raise InvalidArgumentError("objs", obj, f"{self.model.__name__} instances")


class Party(BaseModel):
    """Abstract base of ``Person``, ``Organization`` and ``Group``.

    Contact points hang off each party through the ``emails``, ``phones`` and ``addresses``
    related managers, which hide soft-deleted rows.
    """

    party_kind = ""

    if TYPE_CHECKING:  # reverse relations, declared by each contact point model's foreign key
        emails: RelatedManager[Email]
        phones: RelatedManager[Phone]
        addresses: RelatedManager[Address]

    class Meta:
        abstract = True

    def check_name(self) -> None:
        """Raise ``MissingNameError`` if the party has no name (each kind says which)."""
        raise NotImplementedError

    def check_links(self) -> None:
        """Raise the package's error for a link to another row that the rules refuse."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The field checks come first: the name rules read the fields they check.
        check_instance(self, kwargs.get("update_fields"))
        self.check_name()
        self.check_links()
        super().save(*args, **kwargs)

    def require_saved(self) -> None:
        """``InvalidArgumentError`` unless this party has been saved (its relations need a key)."""
        if self.pk is None or self._state.adding:
            raise InvalidArgumentError(
                self.party_kind, self, f"a saved {type(self).__name__} (call save() first)"
            )

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
        from django_parties.models.relationships import PartyRelationship

        self.require_saved()
        links: PartyRelationshipQuerySet = PartyRelationship.objects.filter(
            **{f"from_{self.party_kind}": self}
        )
        return links

    def relationships_to(self) -> PartyRelationshipQuerySet:
        """Live relationships where this party is the "to" side (a queryset, not evaluated)."""
        from django_parties.models.relationships import PartyRelationship

        self.require_saved()
        links: PartyRelationshipQuerySet = PartyRelationship.objects.filter(
            **{f"to_{self.party_kind}": self}
        )
        return links
