"""Bad input to every public entry point of django-modules: the package's own error, naming the
value, and nothing written.

Each row is ``(id, call, expected error, text the message names)``; ``call`` gets the rows in
``world``: an organization ``acme`` with an override turning ``pharmacy`` off, a soft-deleted
organization ``gone``, and the modules ``pharmacy`` (on) and ``lab`` (off).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Repeat

from django_modules.exceptions import (
    BulkWriteError,
    InvalidArgumentError,
    InvalidFlagError,
    InvalidOrganizationError,
    ModulesError,
    UnknownModuleError,
)
from django_modules.manifest import read_manifest
from django_modules.models import Module, OrgModuleState
from django_modules.services import (
    clear_org_module,
    disable_module,
    enable_module,
    is_module_enabled,
    list_enabled_modules,
    module_states,
    require_module,
    set_module_default,
    set_org_module,
)
from django_modules.views import requires_module
from tests.testapp.models import Organization

pytestmark = pytest.mark.django_db

NAIVE = datetime(2030, 1, 1, 12, 0)  # no time zone, on purpose
HUGE = "x" * 10_000
ARG = InvalidArgumentError
ORG = InvalidOrganizationError
NOT_FOUND = UnknownModuleError


@pytest.fixture
def world(db):
    acme = Organization.objects.create(name="Acme")
    gone = Organization.objects.create(name="Gone")
    gone.delete()  # a soft delete: the row stays, deleted_at is set
    pharmacy = Module.objects.create(key="pharmacy", name="Pharmacy", active=True)
    lab = Module.objects.create(key="lab", name="Laboratory", active=False)
    override = OrgModuleState.objects.create(org=acme, module=pharmacy, enabled=False)
    return {"acme": acme, "gone": gone, "pharmacy": pharmacy, "lab": lab, "override": override}


def _database():
    """Every row of the package's models (deleted ones too) and of the organizations."""
    return {
        "Module": list(Module.all_objects.order_by("pk").values()),
        "OrgModuleState": list(OrgModuleState.all_objects.order_by("pk").values()),
        "Organization": list(Organization.all_objects.order_by("pk").values()),
    }


def _state(w, **fields):
    return OrgModuleState.objects.create(**{"org": w["acme"], "module": w["lab"], **fields})


ROWS = [
    # Reads
    ("enabled: org None", lambda w: is_module_enabled(None, "pharmacy"), ORG, "None"),
    ("enabled: org unsaved", lambda w: is_module_enabled(Organization(name="N"), "lab"), ORG, "N"),
    ("enabled: org a module", lambda w: is_module_enabled(w["lab"], "lab"), ORG, "lab"),
    ("enabled: key None", lambda w: is_module_enabled(w["acme"], None), NOT_FOUND, "None"),
    ("enabled: key int", lambda w: is_module_enabled(w["acme"], 3), NOT_FOUND, "3"),
    ("enabled: key huge", lambda w: is_module_enabled(w["acme"], HUGE), NOT_FOUND, "characters"),
    ("enabled: key with NUL", lambda w: is_module_enabled(w["acme"], "lab\x00"), NOT_FOUND, "lab"),
    ("require: key list", lambda w: require_module(w["acme"], ["lab"]), NOT_FOUND, "['lab']"),
    ("states: org str", lambda w: module_states("acme"), ORG, "acme"),
    ("enabled list: org int", lambda w: list_enabled_modules(1), ORG, "1"),
    # Writes
    ("default: active None", lambda w: set_module_default("lab", None), InvalidFlagError, "None"),
    ("default: active 1", lambda w: set_module_default("lab", 1), InvalidFlagError, "1"),
    ("default: key None", lambda w: set_module_default(None, True), NOT_FOUND, "None"),
    ("default: key NUL", lambda w: set_module_default("l\x00b", True), NOT_FOUND, "l"),
    (
        "set: enabled str",
        lambda w: set_org_module(w["acme"], "lab", "on"),
        InvalidFlagError,
        "'on'",
    ),
    ("set: org unsaved", lambda w: enable_module(Organization(name="N"), "lab"), ORG, "N"),
    ("set: org soft-deleted", lambda w: enable_module(w["gone"], "lab"), ORG, "live"),
    ("set: org soft-deleted, off", lambda w: disable_module(w["gone"], "lab"), ORG, "live"),
    ("set: key unknown", lambda w: disable_module(w["acme"], "nope"), NOT_FOUND, "nope"),
    ("clear: org None", lambda w: clear_org_module(None, "pharmacy"), ORG, "None"),
    ("clear: key int", lambda w: clear_org_module(w["acme"], 1), NOT_FOUND, "1"),
    # Module and OrgModuleState written by hand
    ("module: key None", lambda w: Module.objects.create(key=None, name="N"), ARG, "key"),
    ("module: key empty", lambda w: Module.objects.create(key="", name="N"), ARG, "key"),
    ("module: key not a slug", lambda w: Module.objects.create(key="a b", name="N"), ARG, "key"),
    ("module: key too long", lambda w: Module.objects.create(key="k" * 101, name="N"), ARG, "key"),
    ("module: name None", lambda w: Module.objects.create(key="k", name=None), ARG, "name"),
    ("module: name too long", lambda w: Module.objects.create(key="k", name=HUGE), ARG, "name"),
    ("module: name int", lambda w: Module.objects.create(key="k", name=7), ARG, "name"),
    (
        "module: description None",
        lambda w: Module.objects.create(key="k", name="N", description=None),
        ARG,
        "description",
    ),
    (
        "module: active None",
        lambda w: Module.objects.create(key="k", name="N", active=None),
        ARG,
        "active",
    ),
    (
        "module: active 'yes'",
        lambda w: Module.objects.create(key="k", name="N", active="yes"),
        ARG,
        "active",
    ),
    (
        "module: naive deleted_at",
        lambda w: Module.objects.create(key="k", name="N", deleted_at=NAIVE),
        ARG,
        "deleted_at",
    ),
    ("state: enabled None", lambda w: _state(w, enabled=None), ARG, "enabled"),
    ("state: enabled 0", lambda w: _state(w, enabled=0), ARG, "enabled"),
    (
        "state: org unsaved",
        lambda w: _state(w, org=Organization(name="N"), enabled=True),
        ARG,
        "org",
    ),
    (
        "state: module unsaved",
        lambda w: _state(w, module=Module(key="m"), enabled=True),
        ARG,
        "module",
    ),
    (
        "state: org id a word",
        lambda w: _state(w, org=None, org_id="acme", enabled=True),
        ARG,
        "org",
    ),
    ("state: no org", lambda w: _state(w, org=None, enabled=True), ARG, "org"),
    # Bulk paths and QuerySet.update()
    (
        "bulk_create: key too long",
        lambda w: Module.objects.bulk_create([Module(key="k" * 101, name="N")]),
        ARG,
        "key",
    ),
    (
        "bulk_create: a state among modules",
        lambda w: Module.objects.bulk_create([Module(key="k", name="N"), w["override"]]),
        ARG,
        "objs",
    ),
    (
        "bulk_create: state with unsaved org",
        lambda w: OrgModuleState.objects.bulk_create(
            [OrgModuleState(org=Organization(name="N"), module=w["lab"], enabled=True)]
        ),
        ARG,
        "org",
    ),
    (
        "bulk_update: name None",
        lambda w: Module.objects.bulk_update(
            [Module(pk=w["lab"].pk, key="lab", name=None)], ["name"]
        ),
        ARG,
        "name",
    ),
    (
        "bulk_update: enabled str",
        lambda w: OrgModuleState.objects.bulk_update(
            [OrgModuleState(pk=w["override"].pk, enabled="no")], ["enabled"]
        ),
        ARG,
        "enabled",
    ),
    ("update: name None", lambda w: Module.objects.update(name=None), ARG, "name"),
    ("update: description int", lambda w: Module.objects.update(description=1), ARG, "description"),
    (
        "update: key not a slug",
        lambda w: Module.objects.filter(key="lab").update(key="l b"),
        ARG,
        "key",
    ),
    ("update: active None", lambda w: Module.objects.update(active=None), ARG, "active"),
    ("update: enabled str", lambda w: OrgModuleState.objects.update(enabled="yes"), ARG, "enabled"),
    (
        "update: module unsaved",
        lambda w: OrgModuleState.objects.update(module=Module(key="m")),
        ARG,
        "module",
    ),
    (
        "update: org id of nobody",
        lambda w: OrgModuleState.objects.update(org_id="0190b7c8-0000-7000-8000-000000000000"),
        ARG,
        "org_id",
    ),
    ("update: unknown field", lambda w: Module.objects.update(colour="red"), ARG, "colour"),
    # Guards and the manifest
    ("requires_module: key None", lambda w: requires_module(None), ARG, "key"),
    ("requires_module: key empty", lambda w: requires_module(""), ARG, "key"),
    (
        "requires_module: org_from int",
        lambda w: requires_module("lab", org_from=3),
        ARG,
        "org_from",
    ),
    ("read_manifest: None", lambda w: read_manifest(None), ARG, "text"),
    ("read_manifest: a dict", lambda w: read_manifest({"modules": []}), ARG, "text"),
]


@pytest.mark.parametrize(
    ("call", "error", "named"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_bad_input_is_refused_with_the_package_error_and_nothing_written(world, call, error, named):
    before = _database()
    with pytest.raises(error) as caught:
        call(world)
    assert isinstance(caught.value, ModulesError)
    assert named in str(caught.value)
    assert _database() == before


def test_a_long_key_is_shortened_in_the_message(world):
    with pytest.raises(UnknownModuleError) as caught:
        is_module_enabled(world["acme"], HUGE)
    assert len(str(caught.value)) < 300


@pytest.mark.server_database
def test_update_with_an_expression_too_long_for_the_column_is_the_package_error(world):
    # The value is computed by the database, so only the database can refuse it; it must still
    # come back as the package's error. SQLite does not enforce column lengths.
    before = _database()
    with pytest.raises(BulkWriteError, match="Module"), transaction.atomic():
        Module.objects.update(name=Concat(F("name"), Repeat(Value("x"), 300)))
    with pytest.raises(BulkWriteError, match="Module"):
        Module.objects.update(key=Concat(F("key"), Repeat(Value("x"), 300)))
    assert _database() == before


def test_an_expression_that_empties_a_required_column_is_the_package_error(world):
    from django.db.models import Subquery

    before = _database()
    nothing = Subquery(Module.objects.filter(key="no-such-module").values("name")[:1])
    with pytest.raises(BulkWriteError, match="Module"), transaction.atomic():
        Module.objects.update(name=nothing)
    with pytest.raises(BulkWriteError, match="Module"):
        Module.objects.filter(key="lab").update(
            active=Subquery(Module.objects.filter(key="no-such-module").values("active")[:1])
        )
    assert _database() == before
