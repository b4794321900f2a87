"""The package's own modules import one another in one direction only: the querysets stand below
the models, the transition log below the encounter that writes its creation record."""

from __future__ import annotations

from pathlib import Path

import django_encounters
from primitives_testkit.imports import classes_named, import_cycles, module_imports

PACKAGE = Path(django_encounters.__file__).parent
MODELS = {
    "django_encounters.models",
    "django_encounters.models.definition",
    "django_encounters.models.encounter",
    "django_encounters.models.transition",
}


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_the_querysets_stand_below_the_models_and_the_log_below_the_encounter():
    graph = module_imports(PACKAGE)
    assert not graph["django_encounters.models.query"] & MODELS
    for model_module in MODELS - {"django_encounters.models"}:
        assert "django_encounters.models.query" in graph[model_module]
    assert "django_encounters.models.transition" in graph["django_encounters.models.encounter"]
    assert "django_encounters.models.encounter" not in graph["django_encounters.models.transition"]


def test_every_queryset_of_the_package_is_defined_in_its_query_module():
    defined_in = classes_named(PACKAGE, "QuerySet")
    assert set(defined_in) == {
        "AliasQuerySet",
        "DefinitionQuerySet",
        "EncounterQuerySet",
        "TransitionQuerySet",
    }
    assert set(defined_in.values()) == {"django_encounters.models.query"}
