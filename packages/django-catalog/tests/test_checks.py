import pytest
from django.core import checks

from django_catalog.checks import check_encounter_model, check_routing


def ids(messages):
    return [message.id for message in messages]


def test_a_correct_configuration_passes():
    assert check_encounter_model() == []
    assert check_routing() == []
    assert [m for m in checks.run_checks() if m.id.startswith("catalog.")] == []


def test_missing_encounter_model_is_an_error_with_a_hint(settings):
    del settings.CATALOG_ENCOUNTER_MODEL
    [error] = check_encounter_model()
    assert error.id == "catalog.E001"
    assert error.level == checks.ERROR
    assert "CATALOG_ENCOUNTER_MODEL = 'app_label.ModelName'" in error.hint


@pytest.mark.parametrize("value", ["Encounter", "a.b.C", 42])
def test_malformed_encounter_model_is_an_error(settings, value):
    settings.CATALOG_ENCOUNTER_MODEL = value
    [error] = check_encounter_model()
    assert error.id == "catalog.E002"
    assert repr(value) in error.msg
    assert error.hint


def test_encounter_model_that_is_not_installed_is_an_error(settings):
    settings.CATALOG_ENCOUNTER_MODEL = "django_encounters.Encounter"
    [error] = check_encounter_model()
    assert error.id == "catalog.E005"
    assert "not an installed model" in error.msg
    assert "INSTALLED_APPS" in error.hint


@pytest.mark.parametrize(
    "routes", [["pharmacy"], {"stock_item": ""}, {"stock_item": None}, {1: "pharmacy"}]
)
def test_malformed_routes_are_an_error(settings, routes):
    settings.CATALOG_BOARD_ROUTES = routes
    assert ids(check_routing()) == ["catalog.E003"]


def test_route_for_an_unknown_kind_is_a_warning(settings):
    settings.CATALOG_BOARD_ROUTES = {"stock_item": "pharmacy", "sevrice:lab": "lab"}
    [warning] = check_routing()
    assert (warning.id, warning.level) == ("catalog.W001", checks.WARNING)
    assert "'sevrice:lab'" in warning.msg


@pytest.mark.parametrize("board", ["", None, 3])
def test_bad_default_board_is_an_error(settings, board):
    settings.CATALOG_DEFAULT_BOARD = board
    assert ids(check_routing()) == ["catalog.E004"]
