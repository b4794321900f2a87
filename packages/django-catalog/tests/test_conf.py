import pytest
from django.core.exceptions import ImproperlyConfigured

from django_catalog import conf
from tests.testapp.models import Encounter


def test_settings_are_read_at_call_time(settings):
    assert conf.get("CATALOG_DEFAULT_BOARD") == "general"
    settings.CATALOG_DEFAULT_BOARD = "triage"
    assert conf.get("CATALOG_DEFAULT_BOARD") == "triage"


def test_encounter_model(settings):
    assert conf.get_encounter_model() is Encounter
    del settings.CATALOG_ENCOUNTER_MODEL
    assert conf.encounter_model_label() == conf.UNSET_ENCOUNTER_MODEL


@pytest.mark.parametrize("value", ["Encounter", "a.b.C", 42])
def test_a_malformed_encounter_model_points_the_foreign_key_at_the_stand_in(settings, value):
    settings.CATALOG_ENCOUNTER_MODEL = value
    assert conf.encounter_model_label() == conf.UNSET_ENCOUNTER_MODEL


@pytest.mark.parametrize(
    ("value", "check_id"),
    [(None, "catalog.E001"), ("Encounter", "catalog.E002"), ("nope.Encounter", "catalog.E005")],
)
def test_no_encounter_model_raises_improperly_configured_with_the_checks_words(
    settings, value, check_id
):
    settings.CATALOG_ENCOUNTER_MODEL = value
    [error] = conf.ENCOUNTER_MODEL.check()
    assert error.id == check_id
    with pytest.raises(ImproperlyConfigured) as raised:
        conf.get_encounter_model()
    assert str(raised.value) == f"{error.msg} {error.hint}"
