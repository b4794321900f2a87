"""The contracts every package of the repository keeps (primitives_testkit.contracts), and every
write path tried on the test model that ``AppendOnly`` guards (primitives_testkit.append_only)."""

import pytest
from django.db import connection
from django.utils import timezone

from django_basemodels.exceptions import BaseModelsError
from primitives_testkit.append_only import AppendOnlyContract
from primitives_testkit.contracts import PackageContract
from tests.test_migration_ops import LEDGER, run
from tests.testapp.models import Clerk, LedgerLine


class TestBasemodelsContracts(PackageContract):
    package = "django_basemodels"
    base_error = BaseModelsError
    check_prefix = "basemodels"
    # Django's "unique constraint with a condition is not created" warning, silenced for
    # ConditionalUniqueConstraint (which is created on every database).
    foreign_check_ids = frozenset({"models.W036"})
    # SettingCheck.error() emits the id a package gives its setting check (catalog.E001, ...);
    # those literals stand in that package's source, where its own contract reads them.
    relayed_check_ids = frozenset({"swappable.py"})


class TestAppendOnlyLedgerLines(AppendOnlyContract):
    """``testapp.LedgerLine`` with the triggers of ``AppendOnly`` and nothing else: no Python
    guard, so every ORM path too must meet the database's refusal (PostgreSQL and MariaDB;
    nothing is installed on SQLite)."""

    model = LedgerLine
    error = None
    changes = {"amount": 11, "booked_at": timezone.now().replace(year=2000)}
    rows = "ledger lines"
    set_null = ("clerk", "approver")
    # DDL commits on MariaDB: there the triggers are installed and removed around each test.
    pytestmark = [
        pytest.mark.server_database,
        pytest.mark.django_db(transaction=connection.vendor == "mysql"),
    ]

    @pytest.fixture
    def row(self):
        ann, bob = Clerk.objects.create(name="ann"), Clerk.objects.create(name="bob")
        line = LedgerLine.objects.create(
            clerk=ann, approver=bob, booked_by=bob, amount=10, booked_at=timezone.now()
        )
        run(LEDGER)
        yield line
        run(LEDGER, backwards=True)
