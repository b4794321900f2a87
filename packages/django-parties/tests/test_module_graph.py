"""The package's own modules import one another in one direction only: ``models.base`` below the
querysets, the querysets below the models that declare their managers, the concrete parties (with
their accessors to contact points and relationships) on top."""

from __future__ import annotations

from pathlib import Path

import django_parties
from primitives_testkit.imports import import_cycles, module_imports

PACKAGE = Path(django_parties.__file__).parent
BASE = "django_parties.models.base"
QUERY = "django_parties.models.query"
CONTACTS = "django_parties.models.contacts"
RELATIONSHIPS = "django_parties.models.relationships"
PARTIES = "django_parties.models.parties"


def test_no_module_imports_back_into_one_that_imports_it():
    assert import_cycles(PACKAGE) == []


def test_base_and_the_querysets_stand_below_the_models():
    graph = module_imports(PACKAGE)
    models = {CONTACTS, RELATIONSHIPS, PARTIES}
    assert not graph[BASE] & (models | {QUERY})
    assert not graph[QUERY] & models
    assert {BASE, QUERY} <= graph[CONTACTS] & graph[RELATIONSHIPS]
    assert {CONTACTS, RELATIONSHIPS} <= graph[PARTIES]
