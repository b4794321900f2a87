"""The models of django-parties (import them from here)."""

from django_parties.models.base import Party
from django_parties.models.contacts import Address, ContactPoint, Email, Phone
from django_parties.models.parties import Group, Organization, Person
from django_parties.models.relationships import PartyRelationship, RelationshipType

__all__ = [
    "Address",
    "ContactPoint",
    "Email",
    "Group",
    "Organization",
    "Party",
    "PartyRelationship",
    "Person",
    "Phone",
    "RelationshipType",
]
