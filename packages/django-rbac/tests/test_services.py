from datetime import timedelta

import pytest
from django.utils import timezone

from django_rbac.exceptions import (
    InactiveRoleError,
    InvalidAssignmentPeriodError,
    RoleEscalationError,
    RoleNotAssignedError,
    UserEscalationError,
)
from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role, revoke_role
from django_rbac.signals import role_assigned, role_revoked

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    seen = []

    def on_assigned(user_role, user, role, assigned_by, **kwargs):
        seen.append(("assigned", user, role, assigned_by, user_role))

    def on_revoked(user_role, user, role, revoked_by, **kwargs):
        seen.append(("revoked", user, role, revoked_by, user_role))

    role_assigned.connect(on_assigned, dispatch_uid="t-assigned")
    role_revoked.connect(on_revoked, dispatch_uid="t-revoked")
    yield seen
    role_assigned.disconnect(dispatch_uid="t-assigned")
    role_revoked.disconnect(dispatch_uid="t-revoked")


def test_manager_assigns_a_lower_role_to_a_lower_user(make_user, staff_role, events):
    manager, clerk = make_user(60), make_user(10)
    assignment = assign_role(clerk, staff_role, manager)
    assert assignment.assigned_by == manager
    assert assignment.is_current()
    assert clerk.hierarchy_level == 20
    assert events == [("assigned", clerk, staff_role, manager, assignment)]


@pytest.mark.parametrize("level", [60, 70])
def test_level_60_cannot_assign_a_role_at_or_above_60(make_user, level):
    manager, clerk = make_user(60), make_user(10)
    role = Role.objects.create(name="Peer", slug="peer", hierarchy_level=level)
    with pytest.raises(RoleEscalationError, match=f"at level {level}; expected a role below"):
        assign_role(clerk, role, manager)
    assert not UserRole.objects.filter(user=clerk, role=role).exists()


@pytest.mark.parametrize("target_level", [60, 80])
def test_level_60_cannot_manage_a_user_at_or_above_60(make_user, staff_role, target_level):
    manager, peer = make_user(60), make_user(target_level)
    with pytest.raises(UserEscalationError, match="expected a user below level 60"):
        assign_role(peer, staff_role, manager)
    UserRole.objects.create(user=peer, role=staff_role)
    with pytest.raises(UserEscalationError):
        revoke_role(peer, staff_role, manager)
    assert UserRole.objects.open().filter(user=peer, role=staff_role).exists()


def test_level_60_cannot_revoke_a_level_60_role(make_user, manager_role, superuser):
    manager, other = make_user(60), make_user(10)
    assign_role(other, manager_role, superuser)
    with pytest.raises(RoleEscalationError, match="may not revoke role 'manager'"):
        revoke_role(other, manager_role, manager)


def test_nobody_raises_themselves(make_user, staff_role):
    manager = make_user(60)
    with pytest.raises(UserEscalationError):
        assign_role(manager, staff_role, manager)


def test_users_without_roles_and_inactive_actors_assign_nothing(make_user, staff_role):
    nobody, clerk = make_user(), make_user()
    with pytest.raises(RoleEscalationError, match="level 0"):
        assign_role(clerk, staff_role, nobody)
    inactive = make_user(90, is_active=False)
    with pytest.raises(RoleEscalationError):
        assign_role(clerk, staff_role, inactive)
    with pytest.raises(RoleEscalationError):
        assign_role(clerk, staff_role, None)


def test_nobody_but_a_superuser_manages_a_superuser(make_user, staff_role, superuser):
    director = make_user(100)
    with pytest.raises(UserEscalationError, match="level 101"):
        assign_role(superuser, staff_role, director)


def test_superusers_may_assign_any_role(make_user, superuser):
    top = Role.objects.create(name="Owner", slug="owner", hierarchy_level=100)
    peer = make_user(100)
    assign_role(peer, top, superuser)
    revoke_role(peer, top, superuser)
    assert not UserRole.objects.current().filter(user=peer, role=top).exists()


def test_inactive_or_deleted_roles_cannot_be_assigned(make_user, superuser, staff_role):
    user = make_user()
    staff_role.is_active = False
    staff_role.save()
    with pytest.raises(InactiveRoleError, match="'staff' is inactive"):
        assign_role(user, staff_role, superuser)
    staff_role.is_active = True
    staff_role.save()
    staff_role.delete()
    with pytest.raises(InactiveRoleError, match="is deleted"):
        assign_role(user, staff_role, superuser)


def test_assign_is_idempotent_while_the_assignment_holds(make_user, superuser, staff_role, events):
    user = make_user()
    first = assign_role(user, staff_role, superuser)
    assert assign_role(user, staff_role, superuser) == first
    assert UserRole.objects.filter(user=user).count() == 1
    assert len(events) == 1


def test_an_expired_assignment_is_closed_and_replaced(make_user, superuser, staff_role):
    user = make_user()
    now = timezone.now()
    old = assign_role(user, staff_role, superuser, valid_from=now - timedelta(days=9), valid_to=now)
    assert user.hierarchy_level == 0
    new = assign_role(user, staff_role, superuser)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new != old
    assert user.hierarchy_level == 20


def test_period_is_checked(make_user, superuser, staff_role):
    now = timezone.now()
    with pytest.raises(InvalidAssignmentPeriodError):
        assign_role(make_user(), staff_role, superuser, valid_from=now, valid_to=now)


def test_primary_moves_to_the_new_role(make_user, superuser, staff_role, manager_role):
    user = make_user()
    assign_role(user, staff_role, superuser, is_primary=True)
    assign_role(user, manager_role, superuser, is_primary=True)
    assert UserRole.objects.get(is_primary=True).role == manager_role


def test_revoke_closes_the_assignment_and_keeps_history(make_user, staff_role, events):
    manager, clerk = make_user(60), make_user()
    assign_role(clerk, staff_role, manager)
    assignment = revoke_role(clerk, staff_role, manager)
    assert assignment.revoked_by == manager
    assert assignment.valid_to == assignment.revoked_at
    assert clerk.hierarchy_level == 0
    assert UserRole.objects.filter(pk=assignment.pk).exists()
    assert [event[0] for event in events] == ["assigned", "revoked"]
    with pytest.raises(RoleNotAssignedError, match="no open assignment of role 'staff'"):
        revoke_role(clerk, staff_role, manager)


def test_a_failing_receiver_undoes_the_assignment(make_user, superuser, staff_role):
    def boom(**kwargs):
        raise RuntimeError("audit store down")

    user = make_user()
    role_assigned.connect(boom, dispatch_uid="boom")
    try:
        with pytest.raises(RuntimeError):
            assign_role(user, staff_role, superuser)
    finally:
        role_assigned.disconnect(dispatch_uid="boom")
    assert not UserRole.objects.filter(user=user).exists()


def test_assign_role_query_count_does_not_grow_with_the_users_roles(make_user, superuser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def assign_to_user_holding(count):
        user = make_user()
        held = Role.objects.bulk_create(
            [
                Role(name=f"R{count}-{i}", slug=f"r{count}-{i}", hierarchy_level=10 + i)
                for i in range(count)
            ]
        )
        for index, role in enumerate(held):
            UserRole.objects.create(user=user, role=role, is_primary=index == 0)
        new_role = Role.objects.create(name=f"New {count}", slug=f"new-{count}", hierarchy_level=5)
        with CaptureQueriesContext(connection) as queries:
            assignment = assign_role(user, new_role, superuser, is_primary=True)
        # The new assignment is the only open primary; the old one stays open, demoted.
        assert UserRole.objects.get(user=user, is_primary=True) == assignment
        demoted = UserRole.objects.get(user=user, role=held[0])
        assert demoted.revoked_at is None
        assert not demoted.is_primary
        assert UserRole.objects.open().filter(user=user).count() == count + 1
        return len(queries)

    assert assign_to_user_holding(1) == assign_to_user_holding(6)


def test_assign_and_revoke_take_a_fixed_number_of_queries(
    make_user, staff_role, django_assert_num_queries
):
    manager, clerk = make_user(60), make_user()
    # Savepoint, lock both users, lock the role, both users' levels, the open assignment, the
    # write, release.
    with django_assert_num_queries(8):
        assign_role(clerk, staff_role, manager)
    with django_assert_num_queries(8):
        revoke_role(clerk, staff_role, manager)
