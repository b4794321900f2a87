"""Attacks on the promises of django-rbac, one test per attack.

"May A manage B" compares A's current level with the highest level B holds or will hold: a
superuser (active or not) ranks above every role, an inactive user keeps their roles' levels, and
an assignment that starts in the future counts. The services take their row locks before they
check, so a promotion committed while they wait is seen.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from django_rbac.exceptions import InvalidArgumentError, RBACError, UserEscalationError
from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role, revoke_role
from tests.testapp.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_admin_role(db):
    """A level-20 role whose group may change users in the admin."""
    role = Role.objects.create(name="Desk", slug="desk", hierarchy_level=20)
    role.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="testapp", codename__in=["view_user", "change_user"]
        )
    )
    return role


@pytest.fixture
def desk_clerk(make_user, superuser, user_admin_role):
    user = make_user(is_staff=True)
    assign_role(user, user_admin_role, superuser)
    return user


def _future_director(make_user, superuser):
    """A user at level 10 today whose level-90 role starts tomorrow."""
    target = make_user(10)
    director = Role.objects.create(name="Director", slug="director", hierarchy_level=90)
    assign_role(target, director, superuser, valid_from=timezone.now() + timedelta(days=1))
    return target


def _takeover_post(target):
    return {
        "username": target.username,
        "password": target.password,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }


def test_the_takeover_forms_work_on_a_user_the_clerk_manages(client, desk_clerk, make_user):
    # The control for the attacks below: the same posts do change a lower user.
    lower = make_user(10, is_active=False)
    client.force_login(desk_clerk)
    client.post(reverse("admin:testapp_user_change", args=[lower.pk]), _takeover_post(lower))
    password_url = reverse("admin:auth_user_password_change", args=[lower.pk])
    response = client.post(password_url, {"password1": "owned-1234", "password2": "owned-1234"})
    assert response.status_code == 302
    lower.refresh_from_db()
    assert lower.is_active
    assert lower.check_password("owned-1234")


def test_admin_refuses_reactivating_a_deactivated_superuser(client, desk_clerk):
    fallen = User.objects.create_superuser("fallen", "f@example.com", "pw", is_active=False)
    client.force_login(desk_clerk)
    url = reverse("admin:testapp_user_change", args=[fallen.pk])
    client.post(url, _takeover_post(fallen))
    fallen.refresh_from_db()
    assert not fallen.is_active
    password_url = reverse("admin:auth_user_password_change", args=[fallen.pk])
    response = client.post(password_url, {"password1": "owned-1234", "password2": "owned-1234"})
    assert response.status_code == 403
    fallen.refresh_from_db()
    assert not fallen.check_password("owned-1234")


def test_admin_refuses_editing_a_user_whose_high_role_starts_later(
    client, desk_clerk, make_user, superuser
):
    target = _future_director(make_user, superuser)
    client.force_login(desk_clerk)
    url = reverse("admin:testapp_user_change", args=[target.pk])
    client.post(url, {**_takeover_post(target), "username": "taken-over"})
    target.refresh_from_db()
    assert target.username != "taken-over"


def test_admin_refuses_editing_an_inactive_user_who_holds_a_high_role(
    client, desk_clerk, make_user
):
    dormant = make_user(90, is_active=False)
    client.force_login(desk_clerk)
    url = reverse("admin:testapp_user_change", args=[dormant.pk])
    client.post(url, _takeover_post(dormant))
    dormant.refresh_from_db()
    assert not dormant.is_active


def test_view_mixin_refuses_acting_on_a_deactivated_superuser(client, make_user):
    fallen = User.objects.create_superuser("fallen", "f@example.com", "pw", is_active=False)
    client.force_login(make_user(90))
    assert client.get(f"/users/{fallen.pk}/edit/").status_code == 403


def test_view_mixin_refuses_acting_on_a_user_whose_high_role_starts_later(
    client, make_user, superuser
):
    target = _future_director(make_user, superuser)
    client.force_login(make_user(60))
    assert client.get(f"/users/{target.pk}/edit/").status_code == 403


def test_can_manage_user_ranks_a_deactivated_superuser_above_every_role(make_user):
    fallen = User.objects.create_superuser("fallen", "f@example.com", "pw", is_active=False)
    assert not make_user(100).can_manage_user(fallen)


def test_can_manage_user_counts_future_and_dormant_roles(make_user, superuser):
    manager = make_user(60)
    assert not manager.can_manage_user(_future_director(make_user, superuser))
    assert not manager.can_manage_user(make_user(80, is_active=False))


def test_assign_role_refuses_a_deactivated_superuser_as_target(make_user, staff_role):
    fallen = User.objects.create_superuser("fallen", "f@example.com", "pw", is_active=False)
    with pytest.raises(UserEscalationError, match="level 101"):
        assign_role(fallen, staff_role, make_user(60))
    assert not UserRole.objects.filter(user=fallen).exists()


def test_revoke_role_refuses_a_user_whose_high_role_starts_later(make_user, superuser, staff_role):
    target = _future_director(make_user, superuser)
    assign_role(target, staff_role, superuser)
    with pytest.raises(UserEscalationError, match="level 90"):
        revoke_role(target, staff_role, make_user(60))
    assert UserRole.objects.open().filter(user=target, role=staff_role).exists()


@pytest.mark.parametrize(
    "call",
    [
        lambda user, role, actor: assign_role(None, role, actor),
        lambda user, role, actor: assign_role(user, None, actor),
        lambda user, role, actor: assign_role(User(username="ghost"), role, actor),
        lambda user, role, actor: assign_role(user, Role(slug="ghost", hierarchy_level=5), actor),
        lambda user, role, actor: assign_role(user, "staff", actor),
        lambda user, role, actor: assign_role(user, role, "root"),
        lambda user, role, actor: revoke_role(None, role, actor),
        lambda user, role, actor: revoke_role(user, None, actor),
        lambda user, role, actor: revoke_role(user.pk, role, actor),
    ],
    ids=[
        "assign-none-user",
        "assign-none-role",
        "assign-unsaved-user",
        "assign-unsaved-role",
        "assign-role-as-string",
        "assign-actor-as-string",
        "revoke-none-user",
        "revoke-none-role",
        "revoke-user-as-pk",
    ],
)
def test_bad_input_to_the_services_is_the_package_error(make_user, superuser, staff_role, call):
    user = make_user()
    with pytest.raises(InvalidArgumentError, match="expected"):
        call(user, staff_role, superuser)
    assert not UserRole.objects.exists()


# Races: real threads on PostgreSQL.


# Per server: this connection's id, and whether a connection waits for a lock (PostgreSQL's
# pg_stat_activity, InnoDB's transaction list on MariaDB).
BACKEND_ID = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
WAITING_FOR_A_LOCK = {
    "postgresql": "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
    "mysql": "SELECT 1 FROM information_schema.innodb_trx"
    " WHERE trx_mysql_thread_id = %s AND trx_state = 'LOCK WAIT'",
}

POLL_INTERVAL = {"postgresql": 0.01, "mysql": 0.15}


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute(BACKEND_ID[connection.vendor])
        return int(cursor.fetchone()[0])


def _wait_until_blocked_on_a_lock(pid: int, thread: threading.Thread) -> None:
    """Poll the server until backend ``pid`` waits for a lock. Fails if ``thread`` ends first
    (it never waited); the bound only stops a broken run from hanging, nothing is timed."""
    # InnoDB refreshes its transaction list only when nobody has read it for 0.1 s: polled more
    # often, it shows the state of the first read forever (before the wait began).
    interval = POLL_INTERVAL[connection.vendor]
    for _ in range(int(60 / interval)):
        if not thread.is_alive():
            raise AssertionError(f"backend {pid} finished without waiting for a row lock")
        with connection.cursor() as cursor:
            cursor.execute(WAITING_FOR_A_LOCK[connection.vendor], [pid])
            row = cursor.fetchone()
        if row:
            return
        thread.join(interval)
    raise AssertionError(f"backend {pid} never waited for a row lock")


def _interleave(hold_open, then_run):
    """Run ``hold_open()`` in a transaction left open in one thread; once it is open, run
    ``then_run()`` in another thread, wait until that one is blocked on a row lock, then commit
    the first. Returns what ``then_run`` returned or raised."""
    opened, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}
    pids: dict[str, int] = {}

    def holder():
        try:
            with transaction.atomic():
                hold_open()
                opened.set()
                release.wait(60)
        finally:
            opened.set()
            connections.close_all()

    def runner():
        try:
            pids["runner"] = _backend_pid()
            outcome["result"] = then_run()
        except Exception as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=holder)
    first.start()
    opened.wait(60)
    second = threading.Thread(target=runner)
    second.start()
    try:
        while "runner" not in pids and second.is_alive():
            second.join(0.01)
        _wait_until_blocked_on_a_lock(pids["runner"], second)
    finally:
        release.set()
        first.join(60)
        second.join(60)
    return outcome


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_revoke_sees_a_promotion_committed_while_it_waited(staff_role):
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    manager = User.objects.create_user("manager")
    target = User.objects.create_user("target")
    assign_role(manager, Role.objects.create(name="M", slug="m", hierarchy_level=60), root)
    assign_role(target, staff_role, root)
    director = Role.objects.create(name="Director", slug="director", hierarchy_level=80)

    outcome = _interleave(
        lambda: assign_role(User.objects.get(pk=target.pk), director, root),
        lambda: revoke_role(User.objects.get(pk=target.pk), staff_role, manager),
    )
    assert isinstance(outcome.get("error"), UserEscalationError), outcome
    assert UserRole.objects.open().filter(user=target, role=staff_role).exists()


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_assign_sees_a_promotion_committed_while_it_waited(staff_role):
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    manager = User.objects.create_user("manager")
    target = User.objects.create_user("target")
    assign_role(manager, Role.objects.create(name="M", slug="m", hierarchy_level=60), root)
    director = Role.objects.create(name="Director", slug="director", hierarchy_level=80)

    outcome = _interleave(
        lambda: assign_role(User.objects.get(pk=target.pk), director, root),
        lambda: assign_role(User.objects.get(pk=target.pk), staff_role, manager),
    )
    assert isinstance(outcome.get("error"), UserEscalationError), outcome
    assert not UserRole.objects.filter(user=target, role=staff_role).exists()


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_an_actor_demoted_while_acting_is_refused(staff_role):
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    manager = User.objects.create_user("manager")
    target = User.objects.create_user("target")
    manager_role = Role.objects.create(name="M", slug="m", hierarchy_level=60)
    assign_role(manager, manager_role, root)

    outcome = _interleave(
        lambda: revoke_role(User.objects.get(pk=manager.pk), manager_role, root),
        lambda: assign_role(User.objects.get(pk=target.pk), staff_role, manager),
    )
    assert isinstance(outcome.get("error"), RBACError), outcome
    assert not UserRole.objects.filter(user=target).exists()
