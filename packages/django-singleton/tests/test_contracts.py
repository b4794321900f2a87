"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_singleton.exceptions import SingletonError
from primitives_testkit.contracts import PackageContract


class TestSingletonContracts(PackageContract):
    package = "django_singleton"
    base_error = SingletonError
    check_prefix = "singleton"
