"""Bad input to every public entry point of django-rbac: the package's own error, naming the
value, and nothing written.

Each row is ``(id, call, expected error)``; ``call`` gets the fixtures in ``world`` (a saved
superuser ``root``, a level-60 ``manager``, a user ``clerk`` holding the level-20 ``staff`` role).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from django_rbac import access
from django_rbac.exceptions import (
    InvalidArgumentError,
    InvalidAssignmentPeriodError,
    InvalidHierarchyLevelError,
    RBACError,
)
from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role, check_can_manage, revoke_role
from tests.testapp.models import User

pytestmark = pytest.mark.django_db

NAIVE = datetime(2030, 1, 1, 12, 0)  # no time zone, on purpose
LONG = "x" * 101


@pytest.fixture
def world(superuser, staff_role, make_user):
    clerk = make_user()
    assign_role(clerk, staff_role, superuser)
    return {"root": superuser, "manager": make_user(60), "clerk": clerk, "staff": staff_role}


def _role(**fields):
    return Role.objects.create(**{"name": "R", "slug": "r", "hierarchy_level": 10, **fields})


def _assignment(w, **fields):
    other = Role.objects.get(slug=w["staff"].slug)
    return UserRole.objects.create(**{"user": w["manager"], "role": other, **fields})


ARG = InvalidArgumentError
ROWS = [
    # assign_role
    ("assign: user None", lambda w: assign_role(None, w["staff"], w["root"]), ARG),
    ("assign: user wrong type", lambda w: assign_role("bob", w["staff"], w["root"]), ARG),
    (
        "assign: user unsaved",
        lambda w: assign_role(User(username="ghost"), w["staff"], w["root"]),
        ARG,
    ),
    (
        "assign: user deleted meanwhile",
        lambda w: assign_role(User(pk=10**9, username="gone"), w["staff"], w["root"]),
        ARG,
    ),
    ("assign: role None", lambda w: assign_role(w["clerk"], None, w["root"]), ARG),
    ("assign: role wrong type", lambda w: assign_role(w["clerk"], "staff", w["root"]), ARG),
    (
        "assign: role unsaved",
        lambda w: assign_role(w["clerk"], Role(slug="x", hierarchy_level=5), w["root"]),
        ARG,
    ),
    ("assign: actor wrong type", lambda w: assign_role(w["clerk"], w["staff"], 1), ARG),
    (
        "assign: actor unsaved",
        lambda w: assign_role(w["clerk"], w["staff"], User(username="x", pk=10**9)),
        ARG,
    ),
    (
        "assign: naive valid_from",
        lambda w: assign_role(w["manager"], w["staff"], w["root"], valid_from=NAIVE),
        ARG,
    ),
    (
        "assign: naive valid_to",
        lambda w: assign_role(w["manager"], w["staff"], w["root"], valid_to=NAIVE),
        ARG,
    ),
    (
        "assign: valid_from wrong type",
        lambda w: assign_role(w["manager"], w["staff"], w["root"], valid_from="2030-01-01"),
        ARG,
    ),
    (
        "assign: valid_to before valid_from",
        lambda w: assign_role(
            w["manager"], w["staff"], w["root"], valid_to=timezone.now() - timedelta(days=1)
        ),
        InvalidAssignmentPeriodError,
    ),
    (
        "assign: is_primary wrong type",
        lambda w: assign_role(w["manager"], w["staff"], w["root"], is_primary="yes"),
        ARG,
    ),
    # revoke_role
    ("revoke: user None", lambda w: revoke_role(None, w["staff"], w["root"]), ARG),
    ("revoke: user as key", lambda w: revoke_role(w["clerk"].pk, w["staff"], w["root"]), ARG),
    ("revoke: role None", lambda w: revoke_role(w["clerk"], None, w["root"]), ARG),
    (
        "revoke: role unsaved",
        lambda w: revoke_role(w["clerk"], Role(slug="x", hierarchy_level=5), w["root"]),
        ARG,
    ),
    ("revoke: actor wrong type", lambda w: revoke_role(w["clerk"], w["staff"], "root"), ARG),
    # check_can_manage and the questions
    ("check: role None", lambda w: check_can_manage(w["root"], w["clerk"], None), ARG),
    ("check: user None", lambda w: check_can_manage(w["manager"], None, w["staff"]), ARG),
    ("check: user wrong type", lambda w: check_can_manage(w["root"], 3, w["staff"]), ARG),
    ("level: wrong type", lambda w: access.hierarchy_level("bob"), ARG),
    ("can_manage_user: wrong type", lambda w: w["manager"].can_manage_user("bob"), ARG),
    ("can_manage_role: wrong type", lambda w: w["manager"].can_manage_role("staff"), ARG),
    ("manageable_roles: wrong type", lambda w: access.manageable_roles(42), ARG),
    ("module permission: None", lambda w: w["clerk"].has_module_permission(None, "view"), ARG),
    (
        "module permission: too long",
        lambda w: w["clerk"].has_module_permission(LONG, "view"),
        ARG,
    ),
    ("module permission: wrong type", lambda w: w["clerk"].has_module_permission("a", 1), ARG),
    # Role
    ("role: name too long", lambda w: _role(name=LONG), ARG),
    ("role: name None", lambda w: _role(name=None), ARG),
    ("role: slug too long", lambda w: _role(slug=LONG), ARG),
    ("role: slug not a slug", lambda w: _role(slug="two words"), ARG),
    ("role: description wrong type", lambda w: _role(description=None), ARG),
    ("role: level 0", lambda w: _role(hierarchy_level=0), InvalidHierarchyLevelError),
    ("role: level 101", lambda w: _role(hierarchy_level=101), InvalidHierarchyLevelError),
    ("role: level 2**40", lambda w: _role(hierarchy_level=2**40), InvalidHierarchyLevelError),
    ("role: level as text", lambda w: _role(hierarchy_level="60"), InvalidHierarchyLevelError),
    ("role: is_active wrong type", lambda w: _role(is_active="no"), ARG),
    ("role update: name too long", lambda w: Role.objects.update(name=LONG), ARG),
    (
        "role update: level 2**40",
        lambda w: Role.objects.update(hierarchy_level=2**40),
        InvalidHierarchyLevelError,
    ),
    (
        "role bulk_create: name too long",
        lambda w: Role.objects.bulk_create([Role(name=LONG, slug="long", hierarchy_level=5)]),
        ARG,
    ),
    # UserRole
    ("assignment: user None", lambda w: _assignment(w, user=None), ARG),
    ("assignment: role None", lambda w: _assignment(w, role=None), ARG),
    ("assignment: naive valid_from", lambda w: _assignment(w, valid_from=NAIVE), ARG),
    ("assignment: naive valid_to", lambda w: _assignment(w, valid_to=NAIVE), ARG),
    ("assignment: valid_from None", lambda w: _assignment(w, valid_from=None), ARG),
    ("assignment: is_primary wrong type", lambda w: _assignment(w, is_primary=2), ARG),
    ("assignment update: naive", lambda w: UserRole.objects.update(valid_to=NAIVE), ARG),
    (
        "assignment bulk_create: naive",
        lambda w: UserRole.objects.bulk_create(
            [UserRole(user=w["manager"], role=w["staff"], valid_from=NAIVE)]
        ),
        ARG,
    ),
]


def _snapshot():
    return (
        sorted(Role.all_objects.values_list()),
        sorted(UserRole.all_objects.values_list()),
        sorted(Group.objects.values_list("pk", "name")),
        sorted(User.objects.values_list("pk", "username", "is_active")),
    )


@pytest.mark.parametrize(("call", "error"), [row[1:] for row in ROWS], ids=[r[0] for r in ROWS])
def test_bad_input_is_refused_with_the_package_error_and_nothing_written(world, call, error):
    before = _snapshot()
    with pytest.raises(error, match="expected") as raised:
        call(world)
    assert isinstance(raised.value, RBACError)
    assert _snapshot() == before
