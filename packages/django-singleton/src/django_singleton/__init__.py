"""One-row settings models: ``SingletonModel`` keeps its table at exactly one row, pk=1.

Names are re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_singleton.exceptions import (
        SingletonBulkCreateError as SingletonBulkCreateError,
    )
    from django_singleton.exceptions import (
        SingletonCreationError as SingletonCreationError,
    )
    from django_singleton.exceptions import (
        SingletonDeletionError as SingletonDeletionError,
    )
    from django_singleton.exceptions import (
        SingletonError as SingletonError,
    )
    from django_singleton.exceptions import (
        SingletonViolationError as SingletonViolationError,
    )
    from django_singleton.models import (
        SingletonModel as SingletonModel,
    )
    from django_singleton.models import (
        SingletonQuerySet as SingletonQuerySet,
    )

__all__ = [
    "SingletonBulkCreateError",
    "SingletonCreationError",
    "SingletonDeletionError",
    "SingletonError",
    "SingletonModel",
    "SingletonQuerySet",
    "SingletonViolationError",
]

_LAZY = {
    "SingletonModel": "django_singleton.models",
    "SingletonQuerySet": "django_singleton.models",
    "SingletonError": "django_singleton.exceptions",
    "SingletonBulkCreateError": "django_singleton.exceptions",
    "SingletonCreationError": "django_singleton.exceptions",
    "SingletonDeletionError": "django_singleton.exceptions",
    "SingletonViolationError": "django_singleton.exceptions",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
