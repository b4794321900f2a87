"""The package's own modules import one another in one direction only: the querysets stand below
the models that declare their managers."""

from __future__ import annotations

from pathlib import Path

import django_rbac
from primitives_testkit.imports import import_cycles, module_imports

PACKAGE = Path(django_rbac.__file__).parent


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_the_querysets_stand_below_the_models():
    graph = module_imports(PACKAGE)
    assert "django_rbac.query" in graph["django_rbac.models"]
    assert not graph["django_rbac.query"] & {"django_rbac.models", "django_rbac.services"}
