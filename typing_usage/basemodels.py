"""The public types of django-basemodels, as a user's code sees them."""

from uuid import UUID

from django.db import models
from typing_extensions import assert_type

import django_basemodels
from django_basemodels import (
    BaseModel,
    BaseModelsError,
    ConditionalUniqueConstraint,
    SoftDeleteModel,
    TimeStampedModel,
    UUIDModel,
    new_uuid,
    uuid7,
)


def usage(row: BaseModel) -> None:
    assert_type(django_basemodels.__version__, str)
    assert_type(new_uuid(), UUID)
    assert_type(uuid7(), UUID)
    # BaseModel is all three abstract models at once.
    soft: SoftDeleteModel = row
    stamped: TimeStampedModel = row
    keyed: UUIDModel = row
    assert_type(soft, SoftDeleteModel)
    assert_type(stamped, TimeStampedModel)
    assert_type(keyed, UUIDModel)
    error: Exception = BaseModelsError("x")
    assert_type(error, Exception)
    live_slug = ConditionalUniqueConstraint(
        fields=["slug"], condition=models.Q(deleted_at__isnull=True), name="live_slug"
    )
    assert_type(live_slug, ConditionalUniqueConstraint)
    constraint: models.UniqueConstraint = live_slug
    assert_type(constraint, models.UniqueConstraint)
