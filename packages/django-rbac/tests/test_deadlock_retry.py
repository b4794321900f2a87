"""On MariaDB racing inserts of one slug can deadlock (their duplicate checks lock the same gap
of the unique index); the role's save then runs again, group included, instead of raising a raw
``OperationalError``."""

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, transaction

from django_basemodels.models import BaseModel
from django_rbac.models import Role
from primitives_testkit import deadlock_first_call

# transaction=True: outside a test transaction, as a save called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deadlocked_role_insert_runs_again_with_a_new_group(monkeypatch):
    tries = deadlock_first_call(monkeypatch, BaseModel, "save")
    role = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    assert len(tries) == 2
    assert Role.objects.get().pk == role.pk
    # The group created by the first try was rolled back with it: the role has the second one.
    assert list(Group.objects.values_list("pk", flat=True)) == [role.group_id]


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(monkeypatch):
    deadlock_first_call(monkeypatch, BaseModel, "save")
    with pytest.raises(OperationalError), transaction.atomic():
        Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    assert not Role.all_objects.exists()
    assert not Group.objects.exists()
