"""Deterministic routing of catalog items to boards.

The rules, first match wins:

1. ``CatalogItem.board``: an item that names its board goes there (rule ``"item"``).
2. ``CATALOG_BOARD_ROUTES["<kind>:<service_category>"]`` (rule ``"route:<key>"``).
3. ``CATALOG_BOARD_ROUTES["<kind>"]`` (rule ``"route:<key>"``); by default stock items go to
   ``"pharmacy"``.
4. A service with a category goes to the board named like its category (rule ``"category"``).
5. ``CATALOG_DEFAULT_BOARD``, ``"general"`` by default (rule ``"default"``).

The result depends only on the item and the settings, and it is stored on the basket item when
the item is added and copied to the work item when it is spawned, so later changes to the
catalog or the settings never move work that already exists.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django_catalog import conf


class Route(NamedTuple):
    board: str
    rule: str


def resolve_board(catalog_item: Any) -> Route:
    """The board a work item for ``catalog_item`` goes to, and the rule that chose it."""
    if catalog_item.board:
        return Route(catalog_item.board, "item")
    routes = conf.get("CATALOG_BOARD_ROUTES")
    category = catalog_item.service_category
    keys = [f"{catalog_item.kind}:{category}"] if category else []
    keys.append(catalog_item.kind)
    for key in keys:
        if routes.get(key):
            return Route(routes[key], f"route:{key}")
    if category and catalog_item.kind == "service":
        return Route(category, "category")
    return Route(conf.get("CATALOG_DEFAULT_BOARD"), "default")
