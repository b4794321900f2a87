"""On MariaDB a racing insert can be InnoDB's deadlock victim (the duplicate checks of several
inserts of one key lock the same gap of the unique index); the write then runs again instead of
handing the caller a raw ``OperationalError``."""

import pytest
from django.db import OperationalError, connection, transaction

from django_basemodels.deadlocks import INNODB_DEADLOCK
from django_basemodels.models import BaseModel
from django_basemodels.query import SoftDeleteQuerySet
from django_modules import DuplicateModuleKeyError, module_toggled
from django_modules.models import Module, OrgModuleState
from tests.testapp.models import Organization

# transaction=True: outside a test transaction, as a save called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def deadlock_once(monkeypatch):
    """The first insert or update through BaseModel.save() is a deadlock's victim."""
    monkeypatch.setattr(connection, "vendor", "mysql")
    original = BaseModel.save
    victims = []

    def save(self, *args, **kwargs):
        if not victims:
            victims.append(self)
            raise OperationalError(INNODB_DEADLOCK, "Deadlock found when trying to get lock")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BaseModel, "save", save)
    return victims


def test_a_deadlocked_module_insert_runs_again_and_announces_one_toggle(deadlock_once):
    toggles = []

    def record(**kwargs):
        toggles.append(kwargs["active"])

    module_toggled.connect(record)
    try:
        module = Module.objects.create(key="pharmacy", name="Pharmacy")
    finally:
        module_toggled.disconnect(record)
    assert len(deadlock_once) == 1
    assert list(Module.objects.values_list("pk", flat=True)) == [module.pk]
    assert toggles == [True]


def test_a_deadlocked_insert_that_lost_the_race_gets_the_package_error(deadlock_once):
    Module.objects.create(key="pharmacy", name="Winner")  # the deadlock's victim, run again
    deadlock_once.clear()
    with pytest.raises(DuplicateModuleKeyError):
        Module.objects.create(key="pharmacy", name="Loser")
    assert Module.objects.get().name == "Winner"


def test_a_deadlocked_bulk_create_runs_again(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    org = Organization.objects.create(name="Acme Clinic")
    module = Module.objects.create(key="pharmacy", name="Pharmacy")
    original = SoftDeleteQuerySet.bulk_create
    tries = []

    def bulk_create(self, objs, *args, **kwargs):
        tries.append(1)
        if len(tries) == 1:
            raise OperationalError(INNODB_DEADLOCK, "Deadlock found when trying to get lock")
        return original(self, objs, *args, **kwargs)

    monkeypatch.setattr(SoftDeleteQuerySet, "bulk_create", bulk_create)
    OrgModuleState.objects.bulk_create([OrgModuleState(org=org, module=module, enabled=False)])
    assert len(tries) == 2
    assert OrgModuleState.objects.get().enabled is False


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(deadlock_once):
    with pytest.raises(OperationalError), transaction.atomic():
        Module.objects.create(key="pharmacy", name="Pharmacy")
    assert not Module.all_objects.exists()
