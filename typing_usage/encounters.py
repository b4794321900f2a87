"""The public types of django-encounters, as a user's code sees them."""

from typing import Any

from typing_extensions import assert_type

import django_encounters
from django_encounters import (
    Encounter,
    EncounterError,
    EncounterTransition,
    InvalidTransitionError,
    get_allowed_transitions,
    get_encounter_history,
    get_state_at,
    transition,
)


def usage(encounter: Encounter, when: Any) -> None:
    assert_type(django_encounters.__version__, str)
    assert_type(transition(encounter, "done"), EncounterTransition)
    assert_type(get_allowed_transitions(encounter), list[str])
    assert_type(get_encounter_history(encounter), list[EncounterTransition])
    assert_type(get_state_at(encounter, when), str)
    error: EncounterError = InvalidTransitionError("a", "b")
    assert_type(error, EncounterError)
