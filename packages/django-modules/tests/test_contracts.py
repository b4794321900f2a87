"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_modules.exceptions import ModulesError
from primitives_testkit.contracts import PackageContract


class TestModulesContracts(PackageContract):
    package = "django_modules"
    base_error = ModulesError
    check_prefix = "modules"
