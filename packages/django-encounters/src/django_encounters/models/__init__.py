"""The models of django-encounters."""

from django_encounters.models.definition import EncounterDefinition
from django_encounters.models.encounter import Encounter
from django_encounters.models.transition import EncounterTransition

__all__ = ["Encounter", "EncounterDefinition", "EncounterTransition"]
