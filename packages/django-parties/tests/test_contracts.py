"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_parties.exceptions import PartiesError
from primitives_testkit.contracts import PackageContract


class TestPartiesContracts(PackageContract):
    package = "django_parties"
    base_error = PartiesError
    check_prefix = "parties"
