"""Errors raised by django-parties; every one is a ``PartiesError``."""

from __future__ import annotations

from typing import Any

from django_basemodels import exceptions as basemodels_errors


class PartiesError(Exception):
    """Base class of every error raised by django-parties."""


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut short: a megabyte of text must not become a megabyte of message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}... ({len(text)} characters)"


class InvalidArgumentError(PartiesError, TypeError, ValueError):
    """A value handed to django-parties is not what the call or the field takes (``None``, the
    wrong type, an unsaved or soft-deleted object, a string too long for its column, a naive
    datetime, a datetime where a date is taken...)."""

    def __init__(self, argument: str, value: object, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"{argument}={shown(value)} is not valid; expected {expected}")


class PartyEndpointError(PartiesError, ValueError):
    """A relationship side or a contact point does not name exactly one party."""

    def __init__(self, obj: Any, side: str, set_fields: list[str]) -> None:
        self.obj = obj
        self.side = side
        self.set_fields = set_fields
        given = ", ".join(set_fields) if set_fields else "none"
        super().__init__(
            f"{type(obj).__name__} {side} names {len(set_fields)} parties ({given}); "
            f"expected exactly one of {side}_person, {side}_organization, {side}_group"
            if side in ("from", "to")
            else f"{type(obj).__name__} is attached to {len(set_fields)} parties ({given}); "
            "expected exactly one of person, organization, group"
        )


class UnknownRelationshipTypeError(PartiesError, ValueError):
    """``relationship_type`` is neither a built-in kind nor one the host declared."""

    def __init__(self, value: object, known: list[str]) -> None:
        self.value = value
        self.known = known
        super().__init__(
            f"relationship_type {value!r} is unknown; expected one of {', '.join(known)} "
            "(add your own with PARTIES_EXTRA_RELATIONSHIP_TYPES)"
        )


class InvalidValidityPeriodError(PartiesError, ValueError):
    """``valid_to`` does not come after ``valid_from``."""

    def __init__(self, obj: Any, valid_from: object, valid_to: object) -> None:
        self.obj = obj
        self.valid_from = valid_from
        self.valid_to = valid_to
        super().__init__(
            f"valid_to {valid_to} does not follow valid_from {valid_from}; "
            "expected valid_to to be later than valid_from, or empty"
        )


class DuplicatePrimaryContactError(PartiesError, ValueError):
    """A party already has a primary contact point of this kind."""

    def __init__(self, contact: Any, existing: Any) -> None:
        self.contact = contact
        self.existing = existing
        kind = type(contact).__name__.lower()
        super().__init__(
            f"{existing.party} already has a primary {kind} ({existing}); expected at most one "
            f"primary {kind} per party (use set_primary_contact() to switch)"
        )


class NotAPartyError(PartiesError, TypeError):
    """An object given where a party was expected is not a Person, Organization or Group."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(
            f"{value!r} ({type(value).__name__}) is not a party; "
            "expected a Person, Organization or Group"
        )


class BulkWriteError(PartiesError, basemodels_errors.BulkWriteError):
    """A bulk write (``bulk_create``, ``bulk_update``, ``QuerySet.update``) would break a rule
    that the database enforces; nothing was written. django-basemodels' ``BulkWriteError`` (the
    error its ``GuardedQuerySet`` raises: ``model``, ``fields``, ``error``) as this package's."""


class UserAlreadyLinkedError(PartiesError, ValueError):
    """The user is already linked to another live person."""

    def __init__(self, person: Any, user: Any, existing: Any) -> None:
        self.person = person
        self.user = user
        self.existing = existing
        super().__init__(
            f"user {user} is already linked to {existing}; expected a user linked to no other "
            "live person (a Person links to at most one user, and back)"
        )


class MissingNameError(PartiesError, ValueError):
    """A party without any name."""

    def __init__(self, party: Any, fields: list[str]) -> None:
        self.party = party
        self.fields = fields
        super().__init__(
            f"{type(party).__name__} has no name; expected a non-empty {' or '.join(fields)}"
        )
