"""The package's public names are re-exported lazily."""

import subprocess
import sys

import pytest

import django_encounters


def test_every_public_name_resolves():
    assert django_encounters.__all__ == sorted(django_encounters._LAZY)
    for name in django_encounters.__all__:
        assert getattr(django_encounters, name) is not None
    assert django_encounters.__version__ == "0.1.0"


def test_specified_names_are_exported():
    specified = {
        "EncounterDefinition", "Encounter", "EncounterTransition", "StateValidator",
        "RequiredFieldsValidator", "NoBackwardsTransitionValidator", "FinalStateValidator",
        "create_encounter", "transition", "get_encounter_history", "get_state_at",
        "EncounterError", "InvalidTransitionError", "ValidationError", "EncounterNotFoundError",
    }  # fmt: skip
    assert specified <= set(django_encounters.__all__)


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = django_encounters.no_such_name


def test_importing_the_package_does_not_import_models():
    code = "import sys, django_encounters; print('django_encounters.models' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
