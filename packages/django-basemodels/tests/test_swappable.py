"""ModelSetting: a setting that names a model, its stand-in and its checks."""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from django_basemodels.swappable import ModelSetting, SettingCheck
from tests.testapp.models import Tag

SHELF_MODEL = ModelSetting(
    "TESTAPP_SHELF_MODEL",
    stand_in="testapp.ShelfModelNotConfigured",
    unset=SettingCheck("testapp.E001", "{setting} is not set.", "Set {setting}."),
    malformed=SettingCheck(
        "testapp.E002", "{setting} is {value}; expected 'app_label.ModelName'.", "Fix {value}."
    ),
    not_installed=SettingCheck(
        "testapp.E003", "{setting} is {value}, which is not installed.", "Install it."
    ),
)


def test_a_setting_naming_an_installed_model_resolves(settings):
    settings.TESTAPP_SHELF_MODEL = "testapp.Tag"
    assert SHELF_MODEL.label() == "testapp.Tag"
    assert SHELF_MODEL.get_model() is Tag
    assert SHELF_MODEL.check() == []


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_setting_gives_the_stand_in_and_its_own_check(settings, value):
    settings.TESTAPP_SHELF_MODEL = value
    assert SHELF_MODEL.label() == "testapp.ShelfModelNotConfigured"
    (error,) = SHELF_MODEL.check()
    assert (error.id, error.level) == ("testapp.E001", checks.ERROR)
    assert (error.msg, error.hint) == (
        "TESTAPP_SHELF_MODEL is not set.",
        "Set TESTAPP_SHELF_MODEL.",
    )


def test_a_missing_setting_counts_as_unset(settings):
    del settings.TESTAPP_SHELF_MODEL
    assert SHELF_MODEL.value() is None
    assert [error.id for error in SHELF_MODEL.check()] == ["testapp.E001"]


@pytest.mark.parametrize("value", ["Tag", "a.b.C", ".Tag", "testapp.", 42])
def test_a_malformed_setting_gives_the_stand_in_and_names_the_value(settings, value):
    settings.TESTAPP_SHELF_MODEL = value
    assert SHELF_MODEL.label() == "testapp.ShelfModelNotConfigured"
    (error,) = SHELF_MODEL.check()
    assert error.id == "testapp.E002"
    assert error.msg == f"TESTAPP_SHELF_MODEL is {value!r}; expected 'app_label.ModelName'."
    assert error.hint == f"Fix {value!r}."


@pytest.mark.parametrize("value", ["testapp.Nope", "nope.Tag", "auth.AbstractUser"])
def test_a_setting_naming_no_installed_model_keeps_its_value(settings, value):
    settings.TESTAPP_SHELF_MODEL = value
    assert SHELF_MODEL.label() == value  # the foreign key names it; the check says what is wrong
    (error,) = SHELF_MODEL.check()
    assert error.id == "testapp.E003"
    assert repr(value) in error.msg


def test_a_swapped_out_model_is_not_installed(settings):
    settings.AUTH_USER_MODEL = "testapp.Tag"
    settings.TESTAPP_SHELF_MODEL = "auth.User"
    assert [error.id for error in SHELF_MODEL.check()] == ["testapp.E003"]


def test_get_model_without_a_model_raises_with_the_checks_words(settings):
    settings.TESTAPP_SHELF_MODEL = "Tag"
    with pytest.raises(ImproperlyConfigured) as error:
        SHELF_MODEL.get_model()
    assert str(error.value) == (
        "TESTAPP_SHELF_MODEL is 'Tag'; expected 'app_label.ModelName'. Fix 'Tag'."
    )
