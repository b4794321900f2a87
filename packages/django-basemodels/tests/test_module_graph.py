"""The package's own modules import one another in one direction only: the models stand on the
querysets, which stand on the operations (services), which stand on the cascade and the records."""

from __future__ import annotations

from pathlib import Path

import django_basemodels
from primitives_testkit.imports import import_cycles, module_imports

PACKAGE = Path(django_basemodels.__file__).parent
MODELS = "django_basemodels.models"
QUERY = "django_basemodels.query"


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_the_operations_stand_below_the_querysets_and_the_models():
    graph = module_imports(PACKAGE)
    below = ["django_basemodels.services", "django_basemodels.cascade", "django_basemodels.records"]
    for module in below:
        assert not graph[module] & {MODELS, QUERY}, module
    assert MODELS not in graph[QUERY]
    assert QUERY in graph[MODELS]
