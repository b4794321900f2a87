"""System checks of django-catalog (ids ``catalog.E001`` ...)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from django_catalog import conf

KINDS = ("service", "stock_item")


@checks.register(checks.Tags.models)
def check_encounter_model(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """catalog.E001 (unset), E002 (malformed), E005 (not an installed model)."""
    return conf.ENCOUNTER_MODEL.check()


@checks.register()
def check_routing(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    routes = conf.get("CATALOG_BOARD_ROUTES")
    if not isinstance(routes, dict) or not all(
        isinstance(key, str) and isinstance(board, str) and board for key, board in routes.items()
    ):
        errors.append(
            checks.Error(
                f"CATALOG_BOARD_ROUTES is {routes!r}; expected a dict of str keys to board names.",
                hint="For example {'stock_item': 'pharmacy', 'service:lab': 'lab'}.",
                id="catalog.E003",
            )
        )
    else:
        for key in routes:
            if key.split(":", 1)[0] not in KINDS:
                errors.append(
                    checks.Warning(
                        f"CATALOG_BOARD_ROUTES has the key {key!r}, which matches no item kind.",
                        hint="Keys are '<kind>' or '<kind>:<service_category>', with kind "
                        "'service' or 'stock_item'.",
                        id="catalog.W001",
                    )
                )
    default = conf.get("CATALOG_DEFAULT_BOARD")
    if not isinstance(default, str) or not default:
        errors.append(
            checks.Error(
                f"CATALOG_DEFAULT_BOARD is {default!r}; expected a non-empty board name.",
                hint="Remove the setting to use 'general'.",
                id="catalog.E004",
            )
        )
    return errors
