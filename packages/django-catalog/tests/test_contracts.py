"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_catalog.exceptions import CatalogError
from primitives_testkit.contracts import PackageContract


class TestCatalogContracts(PackageContract):
    package = "django_catalog"
    base_error = CatalogError
    check_prefix = "catalog"
