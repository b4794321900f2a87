"""Operations on parties that span rows; each one is atomic."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from django_parties.exceptions import InvalidValidityPeriodError
from django_parties.models import ContactPoint, PartyRelationship
from django_parties.models.base import party_kind
from django_parties.signals import relationship_ended, relationship_started


@transaction.atomic
def relate(
    from_party: Any,
    to_party: Any,
    relationship_type: str,
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    title: str = "",
    notes: str = "",
) -> PartyRelationship:
    """Record that ``from_party`` is ``relationship_type`` of ``to_party``.

    Either party may be a ``Person``, ``Organization`` or ``Group``; ``valid_from`` defaults to
    today. Sends ``relationship_started``.
    """
    relationship = PartyRelationship(
        **{f"from_{party_kind(from_party)}": from_party, f"to_{party_kind(to_party)}": to_party},
        relationship_type=relationship_type,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        title=title,
        notes=notes,
    )
    relationship.save()
    relationship_started.send(sender=PartyRelationship, relationship=relationship)
    return relationship


@transaction.atomic
def end_relationship(relationship: PartyRelationship, on: date | None = None) -> PartyRelationship:
    """End ``relationship``: it no longer holds from ``on`` (default today) onwards.

    Sends ``relationship_ended``. Ending before the start is refused.
    """
    on = on or timezone.localdate()
    if on <= relationship.valid_from:
        raise InvalidValidityPeriodError(relationship, relationship.valid_from, on)
    relationship.valid_to = on
    relationship.save(update_fields=["valid_to", "updated_at"])
    relationship_ended.send(sender=PartyRelationship, relationship=relationship)
    return relationship


@transaction.atomic
def set_primary_contact(contact: ContactPoint) -> ContactPoint:
    """Make ``contact`` its party's primary contact of its kind, demoting the previous one.

    The party's row is locked first, so concurrent calls for one party run one after another and
    exactly one primary remains.
    """
    contact.check_owner()
    party = contact.party
    assert party is not None  # check_owner() has just proved there is exactly one
    type(party).objects.select_for_update().filter(pk=party.pk).first()
    siblings = type(contact).objects.filter(**{party_kind(party): party})
    now = timezone.now()
    siblings.filter(is_primary=True).exclude(pk=contact.pk).update(is_primary=False, updated_at=now)
    siblings.filter(pk=contact.pk).update(is_primary=True, updated_at=now)
    contact.is_primary = True
    return contact
