"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

from django_worklog.exceptions import WorkLogError
from primitives_testkit.contracts import PackageContract


class TestWorklogContracts(PackageContract):
    package = "django_worklog"
    base_error = WorkLogError
    check_prefix = "worklog"
