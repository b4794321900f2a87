import pytest

from django_rbac.exceptions import UserEscalationError
from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role
from primitives_testkit import run_concurrently
from tests.testapp.models import User

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]


def test_sixteen_concurrent_assignments_make_exactly_one():
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    user = User.objects.create_user("clerk")
    role = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)

    def assign(_index):
        # Each thread loads its own objects, as separate requests would.
        return assign_role(User.objects.get(pk=user.pk), role, User.objects.get(pk=admin.pk)).pk

    run = run_concurrently(assign, threads=16)
    assert run.errors == []
    assert len(set(run.results)) == 1
    assert UserRole.objects.current().filter(user=user, role=role).count() == 1
    assert UserRole.all_objects.filter(user=user).count() == 1


def test_sixteen_concurrent_revocations_close_it_once():
    from django_rbac.exceptions import RoleNotAssignedError
    from django_rbac.services import revoke_role

    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    user = User.objects.create_user("clerk")
    role = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    assign_role(user, role, admin)

    def revoke(_index):
        return revoke_role(User.objects.get(pk=user.pk), role, User.objects.get(pk=admin.pk)).pk

    run = run_concurrently(revoke, threads=16)
    assert len(run.results) == 1
    assert len(run.errors) == 15
    assert all(isinstance(error, RoleNotAssignedError) for error in run.errors)
    assert UserRole.objects.open().filter(user=user).count() == 0
    assert UserRole.objects.get(user=user).revoked_at is not None


def test_crossing_calls_take_their_locks_in_one_order():
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    peers = [User.objects.create_user(f"peer{i}") for i in range(2)]
    peer_role = Role.objects.create(name="Peer", slug="peer", hierarchy_level=50)
    staff_role = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    for peer in peers:
        assign_role(peer, peer_role, root)

    def cross(index):
        # Even threads act on peer 1 as peer 0, odd ones the other way round: both are
        # refused, after taking both locks; no deadlock may surface.
        actor, user = peers[index % 2], peers[1 - index % 2]
        return assign_role(User.objects.get(pk=user.pk), staff_role, actor)

    run = run_concurrently(cross, threads=16)
    assert run.results == []
    assert len(run.errors) == 16
    assert all(isinstance(error, UserEscalationError) for error in run.errors), run.errors
