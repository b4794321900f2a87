"""The kinds of relationship: the built-in ``RelationshipType`` choices and the host's own
(``PARTIES_EXTRA_RELATIONSHIP_TYPES``), and the check that a value names one of them."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from django_parties import conf
from django_parties.exceptions import UnknownRelationshipTypeError


class RelationshipType(models.TextChoices):
    """The built-in kinds; a host adds its own with ``PARTIES_EXTRA_RELATIONSHIP_TYPES``."""

    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    OWNER = "owner", _("Owner")
    GUARDIAN = "guardian", _("Guardian")
    MEMBER = "member", _("Member")
    CONTACT = "contact", _("Contact")
    BILLING = "billing", _("Billing")
    EMERGENCY_CONTACT = "emergency_contact", _("Emergency contact")
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")


def relationship_type_choices() -> list[tuple[str, str | Promise]]:
    """Built-in kinds followed by the host's own, as (value, label) pairs."""
    extra = conf.get("PARTIES_EXTRA_RELATIONSHIP_TYPES")
    return list(RelationshipType.choices) + [(str(k), str(v)) for k, v in extra.items()]


def known_relationship_types() -> list[str]:
    return [value for value, _label in relationship_type_choices()]


def check_relationship_type(value: str) -> None:
    """``UnknownRelationshipTypeError`` unless ``value`` is a built-in or declared kind."""
    known = known_relationship_types()
    if value not in known:
        raise UnknownRelationshipTypeError(value, known)
