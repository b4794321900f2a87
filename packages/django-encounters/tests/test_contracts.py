"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_encounters.exceptions import EncounterError
from primitives_testkit.contracts import PackageContract


class TestEncountersContracts(PackageContract):
    package = "django_encounters"
    base_error = EncounterError
    check_prefix = "encounters"
