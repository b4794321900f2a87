"""Catalog items, baskets, work items that spawn exactly once, and an append-only dispense log.

The public API is re-exported lazily so that importing the package never touches the app
registry.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

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
