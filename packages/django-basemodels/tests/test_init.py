"""The package's lazy public API (django_basemodels/__init__.py) and its app config."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.apps import apps

import django_basemodels
from django_basemodels import models, query


def test_public_names_resolve_lazily():
    assert django_basemodels.BaseModel is models.BaseModel
    assert django_basemodels.SoftDeleteManager is query.SoftDeleteManager
    assert set(django_basemodels.__all__) <= set(django_basemodels._LAZY)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = django_basemodels.Nope


def test_importing_the_package_imports_no_models():
    code = "import sys, django_basemodels; print('django_basemodels.models' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_app_label():
    assert apps.get_app_config("django_basemodels").label == "django_basemodels"
