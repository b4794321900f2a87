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
