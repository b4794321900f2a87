import pytest

from django_modules import conf


def test_org_model_setting_is_read_at_call_time(settings):
    assert conf.get("MODULES_ORG_MODEL") == "testapp.Organization"
    settings.MODULES_ORG_MODEL = "other.Org"
    assert conf.get("MODULES_ORG_MODEL") == "other.Org"
    assert conf.get("MODULES_REQUEST_ORG_ATTRIBUTE") == "organization"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "MODULES_ORG_MODEL is not set"),
        ("Organization", "MODULES_ORG_MODEL is 'Organization'; expected \"app_label.ModelName\""),
        ("a.b.c", "MODULES_ORG_MODEL is 'a.b.c'; expected \"app_label.ModelName\""),
        (7, 'MODULES_ORG_MODEL is 7; expected "app_label.ModelName"'),
        ("testapp.Organization", None),
    ],
)
def test_org_model_problem(value, problem):
    assert conf.org_model_problem(value) == problem


def test_improperly_configured_names_the_setting():
    error = conf.improperly_configured("MODULES_ORG_MODEL is not set")
    assert str(error).startswith("MODULES_ORG_MODEL is not set. Set MODULES_ORG_MODEL")
