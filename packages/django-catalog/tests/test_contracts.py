"""The contracts every package of the repository keeps (primitives_testkit.contracts)."""

import pytest

from django_catalog.exceptions import CatalogError, ImmutableRecordError
from django_catalog.models import DispenseLog
from django_catalog.services import commit_basket, dispense
from primitives_testkit.append_only import AppendOnlyContract
from primitives_testkit.contracts import PackageContract


class TestCatalogContracts(PackageContract):
    package = "django_catalog"
    base_error = CatalogError
    check_prefix = "catalog"


class TestDispenseLogIsAppendOnly(AppendOnlyContract):
    model = DispenseLog
    error = ImmutableRecordError
    changes = {"quantity": 3, "notes": "forged"}
    rows = "dispense log entries"

    @pytest.fixture
    def row(self, filled_basket, user):
        work_items = commit_basket(filled_basket, user)
        medication = next(item for item in work_items if item.quantity == 3)
        return dispense(medication, user)
