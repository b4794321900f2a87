"""Admin: definitions with their diagram, encounters moved by buttons, a read-only history.

States change only through ``transition()``: the admin never edits an encounter's state, offers
the allowed moves as buttons that call the service, and shows transitions read-only everywhere.
"""

from django_encounters.admin.definition import EncounterDefinitionAdmin
from django_encounters.admin.encounter import (
    EncounterAdmin,
    EncounterTransitionAdmin,
    EncounterTransitionInline,
)

__all__ = [
    "EncounterAdmin",
    "EncounterDefinitionAdmin",
    "EncounterTransitionAdmin",
    "EncounterTransitionInline",
]
