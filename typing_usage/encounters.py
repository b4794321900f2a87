"""The public types of django-encounters, as a user's code sees them."""

from collections.abc import Iterator
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
    iter_encounter_history,
    transition,
)


def usage(encounter: Encounter, when: Any) -> None:
    assert_type(django_encounters.__version__, str)
    assert_type(transition(encounter, "done"), EncounterTransition)
    assert_type(get_allowed_transitions(encounter), list[str])
    assert_type(get_encounter_history(encounter), list[EncounterTransition])
    page = get_encounter_history(encounter, limit=50)
    assert_type(
        get_encounter_history(encounter, limit=50, after=page[-1]), list[EncounterTransition]
    )
    assert_type(iter_encounter_history(encounter, batch_size=500), Iterator[EncounterTransition])
    assert_type(get_state_at(encounter, when), str)
    # The managers keep the model's type through the package's own queryset methods.
    assert_type(Encounter.objects.for_subject(encounter).get(pk=encounter.pk), Encounter)
    assert_type(Encounter.deleted_objects.first(), Encounter | None)
    error: EncounterError = InvalidTransitionError("a", "b")
    assert_type(error, EncounterError)
