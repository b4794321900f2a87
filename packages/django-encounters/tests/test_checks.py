"""System checks."""

from datetime import timedelta

import pytest
from django.core import checks
from django.test import override_settings

from django_encounters.checks import (
    check_clock_skew_tolerance,
    check_contenttypes_installed,
    check_mermaid_url,
)


def test_a_correct_setup_passes_every_check():
    registered = checks.registry.registry.get_checks()
    assert {check_contenttypes_installed, check_mermaid_url} <= set(registered)
    assert check_contenttypes_installed() == []
    assert check_mermaid_url() == []


def test_missing_contenttypes_is_an_error():
    with override_settings(INSTALLED_APPS=["django_basemodels", "django_encounters"]):
        (error,) = check_contenttypes_installed()
    assert error.id == "encounters.E001"
    assert "django.contrib.contenttypes" in error.hint


@override_settings(ENCOUNTERS_MERMAID_JS_URL="mermaid.js")
def test_a_mermaid_url_that_is_not_a_url_is_an_error():
    (error,) = check_mermaid_url()
    assert error.id == "encounters.E002"
    assert "'mermaid.js'" in error.msg


@override_settings(ENCOUNTERS_MERMAID_JS_URL="/static/mermaid.min.js")
def test_a_mermaid_url_passes():
    assert check_mermaid_url() == []


@pytest.mark.parametrize("tolerance", [300, timedelta(seconds=-1), None])
def test_a_clock_skew_tolerance_that_is_not_a_positive_timedelta_is_an_error(tolerance):
    with override_settings(ENCOUNTERS_CLOCK_SKEW_TOLERANCE=tolerance):
        (error,) = check_clock_skew_tolerance()
    assert error.id == "encounters.E003"
    assert repr(tolerance) in error.msg


def test_the_default_clock_skew_tolerance_passes():
    assert check_clock_skew_tolerance() == []
    with override_settings(ENCOUNTERS_CLOCK_SKEW_TOLERANCE=timedelta(0)):
        assert check_clock_skew_tolerance() == []
