"""The package's own modules import one another in one direction only: the querysets stand below
the models, which stand below the services."""

from __future__ import annotations

from pathlib import Path

import django_catalog
from primitives_testkit.imports import classes_named, import_cycles, module_imports

PACKAGE = Path(django_catalog.__file__).parent
MODELS = {
    "django_catalog.models",
    "django_catalog.models.basket",
    "django_catalog.models.catalog",
    "django_catalog.models.settings",
    "django_catalog.models.status",
    "django_catalog.models.work",
}


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_the_querysets_stand_below_the_models_and_the_services():
    graph = module_imports(PACKAGE)
    assert not graph["django_catalog.query"] & (MODELS | {"django_catalog.services"})
    assert "django_catalog.query" in graph["django_catalog.models.basket"]
    assert "django_catalog.query" in graph["django_catalog.models.work"]
    for model_module in MODELS:
        assert "django_catalog.services" not in graph[model_module]


def test_every_queryset_of_the_package_is_defined_in_its_query_module():
    defined_in = classes_named(PACKAGE, "QuerySet")
    assert set(defined_in) == {
        "BasketQuerySet",
        "BasketItemQuerySet",
        "DispenseLogQuerySet",
        "WorkItemQuerySet",
    }
    assert set(defined_in.values()) == {"django_catalog.query"}
