"""Abstract base models: time-ordered UUID keys, timestamps and soft delete.

Models are re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_basemodels.constraints import (
        ConditionalUniqueConstraint as ConditionalUniqueConstraint,
    )
    from django_basemodels.exceptions import BaseModelsError as BaseModelsError
    from django_basemodels.ids import new_uuid as new_uuid
    from django_basemodels.ids import uuid7 as uuid7
    from django_basemodels.models import (
        BaseModel as BaseModel,
    )
    from django_basemodels.models import (
        SoftDeleteModel as SoftDeleteModel,
    )
    from django_basemodels.models import (
        TimeStampedModel as TimeStampedModel,
    )
    from django_basemodels.models import (
        UUIDModel as UUIDModel,
    )
    from django_basemodels.query import (
        AllObjectsManager as AllObjectsManager,
    )
    from django_basemodels.query import (
        DeletedObjectsManager as DeletedObjectsManager,
    )
    from django_basemodels.query import (
        GuardedQuerySet as GuardedQuerySet,
    )
    from django_basemodels.query import (
        SoftDeleteManager as SoftDeleteManager,
    )
    from django_basemodels.query import (
        SoftDeleteQuerySet as SoftDeleteQuerySet,
    )
    from django_basemodels.swappable import (
        ModelSetting as ModelSetting,
    )
    from django_basemodels.swappable import (
        SettingCheck as SettingCheck,
    )

__all__ = [
    "AllObjectsManager",
    "BaseModel",
    "BaseModelsError",
    "ConditionalUniqueConstraint",
    "DeletedObjectsManager",
    "GuardedQuerySet",
    "ModelSetting",
    "SettingCheck",
    "SoftDeleteManager",
    "SoftDeleteModel",
    "SoftDeleteQuerySet",
    "TimeStampedModel",
    "UUIDModel",
    "new_uuid",
    "uuid7",
]

_LAZY = {
    "BaseModel": "django_basemodels.models",
    "SoftDeleteModel": "django_basemodels.models",
    "TimeStampedModel": "django_basemodels.models",
    "UUIDModel": "django_basemodels.models",
    "SoftDeleteQuerySet": "django_basemodels.query",
    "SoftDeleteManager": "django_basemodels.query",
    "AllObjectsManager": "django_basemodels.query",
    "DeletedObjectsManager": "django_basemodels.query",
    "GuardedQuerySet": "django_basemodels.query",
    "ModelSetting": "django_basemodels.swappable",
    "SettingCheck": "django_basemodels.swappable",
    "BaseModelsError": "django_basemodels.exceptions",
    "ConditionalUniqueConstraint": "django_basemodels.constraints",
    "new_uuid": "django_basemodels.ids",
    "uuid7": "django_basemodels.ids",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
