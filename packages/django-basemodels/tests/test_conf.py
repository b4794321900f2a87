"""Settings (django_basemodels.conf)."""

from __future__ import annotations

from django_basemodels import conf


def test_default_and_override(settings):
    assert conf.get("BASEMODELS_UUID_VERSION") == 7
    settings.BASEMODELS_UUID_VERSION = 4
    assert conf.get("BASEMODELS_UUID_VERSION") == 4
