"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_rbac.exceptions import RBACError
from primitives_testkit.contracts import PackageContract


class TestRbacContracts(PackageContract):
    package = "django_rbac"
    base_error = RBACError
    check_prefix = "rbac"
