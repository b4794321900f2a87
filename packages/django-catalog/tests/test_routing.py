import pytest

from django_catalog.models import CatalogItem
from django_catalog.routing import Route, resolve_board


def item(kind="service", category="", board=""):
    return CatalogItem(kind=kind, service_category=category, display_name="x", board=board)


@pytest.mark.parametrize(
    ("catalog_item", "expected"),
    [
        (item("stock_item"), Route("pharmacy", "route:stock_item")),
        (item("stock_item", "vaccine"), Route("pharmacy", "route:stock_item")),
        (item("service", "lab"), Route("lab", "category")),
        (item("service", "imaging"), Route("imaging", "category")),
        (item("service"), Route("general", "default")),
        (item("stock_item", board="fridge"), Route("fridge", "item")),
        (item("service", "lab", board="outside-lab"), Route("outside-lab", "item")),
    ],
)
def test_default_rules(catalog_item, expected):
    assert resolve_board(catalog_item) == expected


def test_routes_setting_overrides_with_the_most_specific_key_first(settings):
    settings.CATALOG_BOARD_ROUTES = {
        "service:lab": "laboratory",
        "service": "front-desk",
        "stock_item:vaccine": "vaccines",
    }
    assert resolve_board(item("service", "lab")) == Route("laboratory", "route:service:lab")
    assert resolve_board(item("service", "imaging")) == Route("front-desk", "route:service")
    assert resolve_board(item("stock_item", "vaccine")) == Route(
        "vaccines", "route:stock_item:vaccine"
    )
    # The setting replaces the defaults: stock items without a route fall back to the default.
    assert resolve_board(item("stock_item")) == Route("general", "default")


def test_default_board_setting(settings):
    settings.CATALOG_DEFAULT_BOARD = "triage"
    assert resolve_board(item("service")) == Route("triage", "default")


def test_routing_is_deterministic():
    assert {resolve_board(item("service", "lab")) for _ in range(100)} == {Route("lab", "category")}
