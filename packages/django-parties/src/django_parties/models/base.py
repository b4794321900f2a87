"""What every party model shares, and the "exactly one party" rule used by relationships and
contact points.

This module stands below every other one of ``models``: ``Party`` holds the rules of a party,
and the accessors that reach a party's contact points and relationships are declared above
those models, on ``parties.LinkedParty``.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from django_basemodels.models import BaseModel
from django_parties.exceptions import InvalidArgumentError, NotAPartyError
from django_parties.validation import check_instance

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


class Party(BaseModel):
    """Abstract base of ``Person``, ``Organization`` and ``Group``: their name rules, their
    links to other rows, and the checks that run on every save.

    Contact points and relationships are reached through ``parties.LinkedParty``, the class the
    three kinds inherit.
    """

    party_kind = ""

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
