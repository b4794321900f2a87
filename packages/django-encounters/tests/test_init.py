"""The names the specification publishes are exported. That every exported name resolves
lazily, and an unknown one raises AttributeError: tests/test_contracts.py."""

import django_encounters


def test_all_lists_every_lazy_name_and_the_version_is_set():
    assert django_encounters.__all__ == sorted(django_encounters._LAZY)
    assert django_encounters.__version__ == "0.1.0"


def test_specified_names_are_exported():
    specified = {
        "EncounterDefinition", "Encounter", "EncounterTransition", "StateValidator",
        "RequiredFieldsValidator", "NoBackwardsTransitionValidator", "FinalStateValidator",
        "create_encounter", "transition", "get_encounter_history", "get_state_at",
        "EncounterError", "InvalidTransitionError", "ValidationError", "EncounterNotFoundError",
    }  # fmt: skip
    assert specified <= set(django_encounters.__all__)
