"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_basemodels.exceptions import BaseModelsError
from primitives_testkit.contracts import PackageContract


class TestBasemodelsContracts(PackageContract):
    package = "django_basemodels"
    base_error = BaseModelsError
    check_prefix = "basemodels"
    # Django's "unique constraint with a condition is not created" warning, silenced for
    # ConditionalUniqueConstraint (which is created on every database).
    foreign_check_ids = frozenset({"models.W036"})
