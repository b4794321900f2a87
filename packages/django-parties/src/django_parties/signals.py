"""Signals sent by ``django_parties.services``, for a host to audit or react to.

``relationship_started(sender=PartyRelationship, relationship=...)`` after ``relate()``;
``relationship_ended(sender=PartyRelationship, relationship=...)`` after ``end_relationship()``.
Both are sent inside the service's transaction: a receiver that fails rolls the change back.
"""

from django.dispatch import Signal

relationship_started = Signal()
relationship_ended = Signal()
