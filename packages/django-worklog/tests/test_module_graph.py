"""The package's own modules import one another in one direction only: the model and its
queryset stand below the services and the reports that use them."""

from __future__ import annotations

from pathlib import Path

import django_worklog
from primitives_testkit.imports import import_cycles, module_imports

PACKAGE = Path(django_worklog.__file__).parent


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_the_model_and_its_queryset_stand_below_the_services_and_the_reports():
    graph = module_imports(PACKAGE)
    above = {"django_worklog.services", "django_worklog.reports", "django_worklog.admin"}
    assert not graph["django_worklog.models"] & above
    assert "django_worklog.models" in graph["django_worklog.services"]
