"""Operations on parties that span rows; each one is atomic."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from django_parties.exceptions import InvalidArgumentError, InvalidValidityPeriodError
from django_parties.models import ContactPoint, PartyRelationship
from django_parties.models.base import party_kind
from django_parties.signals import relationship_ended, relationship_started
from django_parties.validation import check_date


def _live(argument: str, obj: Any, expected: str) -> None:
    """Refuse an unsaved or soft-deleted row: writing about it would leave a dangling row."""
    if obj.pk is None or obj._state.adding or obj.deleted_at is not None:
        raise InvalidArgumentError(argument, obj, f"a saved, live (not soft-deleted) {expected}")


def _live_party(argument: str, party: Any) -> None:
    party_kind(party)  # NotAPartyError for anything but a Person, Organization or Group
    _live(argument, party, type(party).__name__)


def _day(argument: str, value: date | None) -> date:
    """``value`` (a date), or today when ``None``: a falsy non-date is not "today"."""
    if value is None:
        return timezone.localdate()
    check_date(argument, value)
    return value


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
    _live_party("from_party", from_party)
    _live_party("to_party", to_party)
    if valid_to is not None:
        check_date("valid_to", valid_to)
    relationship = PartyRelationship(
        **{f"from_{party_kind(from_party)}": from_party, f"to_{party_kind(to_party)}": to_party},
        relationship_type=relationship_type,
        valid_from=_day("valid_from", valid_from),
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
    if not isinstance(relationship, PartyRelationship):
        raise InvalidArgumentError("relationship", relationship, "a PartyRelationship")
    _live("relationship", relationship, "PartyRelationship")
    on = _day("on", on)
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
    if not isinstance(contact, ContactPoint):
        raise InvalidArgumentError("contact", contact, "an Address, Phone or Email")
    _live("contact", contact, type(contact).__name__)
    contact.check_owner()
    party = contact.party
    assert party is not None  # check_owner() has just proved there is exactly one
    if type(party).objects.select_for_update().filter(pk=party.pk).first() is None:
        raise InvalidArgumentError("contact", contact, "a contact point of a live party")
    siblings = type(contact).objects.filter(**{party_kind(party): party})
    now = timezone.now()
    siblings.filter(is_primary=True).exclude(pk=contact.pk).update(is_primary=False, updated_at=now)
    if not siblings.filter(pk=contact.pk).update(is_primary=True, updated_at=now):
        # Deleted (or moved to another party) since it was read: undo the demotion above.
        raise InvalidArgumentError("contact", contact, "a live contact point of its party")
    contact.is_primary = True
    return contact
