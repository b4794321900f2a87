"""The package's app config. Its lazy public API (every name resolves, an unknown one raises
AttributeError, importing the package loads no model): tests/test_contracts.py."""

from __future__ import annotations

from django.apps import apps


def test_app_label():
    assert apps.get_app_config("django_basemodels").label == "django_basemodels"
