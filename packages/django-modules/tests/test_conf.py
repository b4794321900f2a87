import pytest
from django.core.exceptions import ImproperlyConfigured

from django_modules import conf
from django_modules.services import get_org_model


def test_org_model_setting_is_read_at_call_time(settings):
    assert conf.get("MODULES_ORG_MODEL") == "testapp.Organization"
    settings.MODULES_ORG_MODEL = "other.Org"
    assert conf.get("MODULES_ORG_MODEL") == "other.Org"
    assert conf.get("MODULES_REQUEST_ORG_ATTRIBUTE") == "organization"


@pytest.mark.parametrize(
    ("value", "check_id"),
    [
        (None, "modules.E001"),
        ("", "modules.E001"),
        ("Organization", "modules.E002"),
        ("a.b.c", "modules.E002"),
        (7, "modules.E002"),
        ("nope.Organization", "modules.E003"),
        ("testapp.Organization", None),
    ],
)
def test_each_problem_of_the_org_model_setting_has_its_check(settings, value, check_id):
    settings.MODULES_ORG_MODEL = value
    problem = conf.ORG_MODEL.problem()
    assert (problem and problem.id) == check_id


@pytest.mark.parametrize("value", [None, "Organization", 7])
def test_an_unset_or_malformed_setting_points_the_foreign_key_at_the_stand_in(settings, value):
    settings.MODULES_ORG_MODEL = value
    assert conf.ORG_MODEL.label() == conf.UNCONFIGURED_ORG_MODEL


def test_get_org_model_gives_the_failing_checks_message_and_what_to_set(settings):
    settings.MODULES_ORG_MODEL = "Organization"
    [error] = conf.ORG_MODEL.check()
    with pytest.raises(ImproperlyConfigured) as raised:
        get_org_model()
    assert str(raised.value) == f"{error.msg} {conf.ORG_MODEL_ADVICE}"
    assert str(raised.value).startswith("MODULES_ORG_MODEL is 'Organization'; expected")
