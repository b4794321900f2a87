"""The package's own modules import one another in one direction only: the toggle tracking
stands below the querysets, which stand below the models."""

from __future__ import annotations

from pathlib import Path

import django_modules
from primitives_testkit.imports import classes_named, import_cycles, module_imports

PACKAGE = Path(django_modules.__file__).parent


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_tracking_stands_below_the_querysets_and_they_below_the_models():
    graph = module_imports(PACKAGE)
    assert not graph["django_modules.tracking"] & {
        "django_modules.models",
        "django_modules.query",
    }
    assert "django_modules.tracking" in graph["django_modules.query"]
    assert "django_modules.models" not in graph["django_modules.query"]
    assert {"django_modules.query", "django_modules.tracking"} <= graph["django_modules.models"]


def test_every_queryset_of_the_package_is_defined_in_its_query_module():
    defined_in = classes_named(PACKAGE, "QuerySet")
    assert set(defined_in) == {"ModuleQuerySet", "OrgModuleStateQuerySet", "TrackedQuerySet"}
    assert set(defined_in.values()) == {"django_modules.query"}
