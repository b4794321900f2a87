"""System checks (django_basemodels.checks)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from django_basemodels.checks import check_soft_deletable_models
from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.models import BaseModel, SoftDeleteModel
from django_basemodels.query import SoftDeleteManager


def test_the_check_is_registered_and_the_test_models_pass():
    assert check_soft_deletable_models in checks.registry.registry.get_checks()
    assert check_soft_deletable_models(app_configs=[apps.get_app_config("testapp")]) == []
    assert check_soft_deletable_models() == []


@pytest.fixture
def isolated():
    """A throw-away app registry, so that the models below never reach the real one."""
    with isolate_apps("tests.testapp") as registry:
        yield registry


def messages(registry, model):
    found = check_soft_deletable_models(app_configs=[registry.get_app_config("testapp")])
    return [message for message in found if message.obj is model]


def test_unique_field_is_flagged_but_not_the_primary_key(isolated):
    class Member(BaseModel):
        email = models.EmailField(unique=True)

        class Meta:
            app_label = "testapp"

    (message,) = messages(isolated, Member)
    assert message.id == "basemodels.W001"
    assert message.level == checks.WARNING
    assert "testapp.Member is soft-deletable but field 'email' has unique=True" in message.msg
    assert "condition=models.Q(deleted_at__isnull=True)" in message.hint


def test_unique_together_and_unconditional_constraint_are_flagged(isolated):
    class Seat(SoftDeleteModel):
        row = models.IntegerField()
        number = models.IntegerField()
        code = models.CharField(max_length=5)

        class Meta:
            app_label = "testapp"
            unique_together = [("row", "number")]
            constraints = [models.UniqueConstraint(fields=["code"], name="seat_code")]

    found = messages(isolated, Seat)
    assert [message.id for message in found] == ["basemodels.W001", "basemodels.W001"]
    assert "unique_together ('row', 'number')" in found[0].msg
    assert "UniqueConstraint 'seat_code' has no condition" in found[1].msg


def test_conditional_constraint_and_models_without_soft_delete_pass(isolated):
    class Badge(BaseModel):
        code = models.CharField(max_length=5)

        class Meta:
            app_label = "testapp"
            constraints = [
                ConditionalUniqueConstraint(
                    fields=["code"],
                    condition=models.Q(deleted_at__isnull=True),
                    name="badge_code_alive",
                )
            ]

    class Plain(models.Model):
        code = models.CharField(max_length=5, unique=True)

        class Meta:
            app_label = "testapp"

        def __str__(self) -> str:
            return self.code

    assert messages(isolated, Badge) == []
    assert messages(isolated, Plain) == []


def test_django_conditional_constraint_is_flagged_as_skipped_on_mariadb(isolated):
    class Pass(SoftDeleteModel):
        code = models.CharField(max_length=5)

        class Meta:
            app_label = "testapp"
            constraints = [
                models.UniqueConstraint(
                    fields=["code"],
                    condition=models.Q(deleted_at__isnull=True),
                    name="pass_code_alive",
                )
            ]

    (message,) = messages(isolated, Pass)
    assert message.id == "basemodels.W003"
    assert "UniqueConstraint 'pass_code_alive' has a condition" in message.msg
    assert "ConditionalUniqueConstraint" in message.hint


def test_default_manager_that_shows_deleted_rows_is_flagged(isolated):
    class Leaky(SoftDeleteModel):
        objects = models.Manager()

        class Meta:
            app_label = "testapp"

    class Custom(SoftDeleteModel):
        objects = SoftDeleteManager.from_queryset(models.QuerySet)()

        class Meta:
            app_label = "testapp"

    (message,) = messages(isolated, Leaky)
    assert message.id == "basemodels.W002"
    assert "default manager 'objects' is a Manager" in message.msg
    assert "SoftDeleteManager.from_queryset" in message.hint
    assert messages(isolated, Custom) == []


def test_default_manager_of_every_row_is_flagged(isolated):
    class AllFirst(SoftDeleteModel):
        objects = SoftDeleteManager(rows="all")

        class Meta:
            app_label = "testapp"

    (message,) = messages(isolated, AllFirst)
    assert message.id == "basemodels.W002"
    assert "without rows=" in message.hint
