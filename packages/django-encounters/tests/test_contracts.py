"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

import pytest

from django_encounters import EncounterTransition, transition
from django_encounters.exceptions import EncounterError, ImmutableHistoryError
from primitives_testkit.append_only import AppendOnlyContract
from primitives_testkit.contracts import PackageContract


class TestEncountersContracts(PackageContract):
    package = "django_encounters"
    base_error = EncounterError
    check_prefix = "encounters"


class TestTransitionsAreAppendOnly(AppendOnlyContract):
    model = EncounterTransition
    error = ImmutableHistoryError
    changes = {"reason": "forged", "to_state": "completed"}
    rows = "encounter transitions"
    set_null = ("transitioned_by",)

    @pytest.fixture
    def row(self, encounter, user):
        return transition(encounter, "checked_in", reason="arrived", transitioned_by=user)
