"""Catalog items, baskets, work items that spawn exactly once, and an append-only dispense log.

The public API is re-exported lazily so that importing the package never touches the app
registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_catalog.exceptions import CatalogError as CatalogError
    from django_catalog.exceptions import InvalidArgumentError as InvalidArgumentError
    from django_catalog.models import (
        Basket as Basket,
    )
    from django_catalog.models import (
        BasketItem as BasketItem,
    )
    from django_catalog.models import (
        CatalogItem as CatalogItem,
    )
    from django_catalog.models import (
        CatalogSettings as CatalogSettings,
    )
    from django_catalog.models import (
        DispenseLog as DispenseLog,
    )
    from django_catalog.models import (
        WorkItem as WorkItem,
    )
    from django_catalog.routing import resolve_board as resolve_board
    from django_catalog.services import (
        add_item as add_item,
    )
    from django_catalog.services import (
        cancel_basket as cancel_basket,
    )
    from django_catalog.services import (
        commit_basket as commit_basket,
    )
    from django_catalog.services import (
        dispense as dispense,
    )
    from django_catalog.services import (
        dispensed_quantity as dispensed_quantity,
    )
    from django_catalog.services import (
        get_or_create_draft_basket as get_or_create_draft_basket,
    )
    from django_catalog.services import (
        update_work_item_status as update_work_item_status,
    )

_LAZY = {
    "Basket": "django_catalog.models",
    "BasketItem": "django_catalog.models",
    "CatalogItem": "django_catalog.models",
    "CatalogSettings": "django_catalog.models",
    "DispenseLog": "django_catalog.models",
    "WorkItem": "django_catalog.models",
    "add_item": "django_catalog.services",
    "cancel_basket": "django_catalog.services",
    "commit_basket": "django_catalog.services",
    "dispense": "django_catalog.services",
    "dispensed_quantity": "django_catalog.services",
    "get_or_create_draft_basket": "django_catalog.services",
    "update_work_item_status": "django_catalog.services",
    "resolve_board": "django_catalog.routing",
    "CatalogError": "django_catalog.exceptions",
    "InvalidArgumentError": "django_catalog.exceptions",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
