import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_role(db, grant):
    """A level-60 role that may use the admin for roles, assignments and users."""
    role = Role.objects.create(name="Admin manager", slug="admin-manager", hierarchy_level=60)
    role.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["django_rbac", "testapp"],
            codename__regex=r"^(add|change|view|delete)_",
        )
    )
    grant(role, "practice.view")
    return role


@pytest.fixture
def manager(make_user, superuser, admin_role):
    user = make_user(is_staff=True)
    assign_role(user, admin_role, superuser)
    return user


def test_models_are_registered():
    assert admin.site.is_registered(Role)
    assert admin.site.is_registered(UserRole)


def test_pages_render(client, superuser, staff_role, make_user):
    UserRole.objects.create(user=make_user(), role=staff_role)
    client.force_login(superuser)
    for name in ("role", "userrole"):
        assert client.get(reverse(f"admin:django_rbac_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:django_rbac_{name}_add")).status_code == 200
    url = reverse("admin:django_rbac_role_change", args=[staff_role.pk])
    assert client.get(url).status_code == 200


def test_role_form_refuses_a_level_at_or_above_the_actor(client, manager):
    client.force_login(manager)
    url = reverse("admin:django_rbac_role_add")
    data = {"name": "Peer", "slug": "peer", "hierarchy_level": 60, "is_active": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"expected a role below level 60" in response.content
    assert not Role.objects.filter(slug="peer").exists()
    data["hierarchy_level"] = 50
    assert client.post(url, data).status_code == 302


def test_roles_at_or_above_the_actor_are_read_only(client, manager, manager_role, staff_role):
    client.force_login(manager)
    url = reverse("admin:django_rbac_role_change", args=[manager_role.pk])
    data = {"name": "Manager", "slug": "manager", "hierarchy_level": 10, "is_active": "on"}
    client.post(url, data)
    manager_role.refresh_from_db()
    assert manager_role.hierarchy_level == 60
    staff_url = reverse("admin:django_rbac_role_change", args=[staff_role.pk])
    data = {"name": "Staff", "slug": "staff", "hierarchy_level": 30, "is_active": "on"}
    assert client.post(staff_url, data).status_code == 302
    staff_role.refresh_from_db()
    assert staff_role.hierarchy_level == 30


def test_only_own_permissions_can_be_granted(client, manager, staff_role):
    client.force_login(manager)
    mine = Permission.objects.get(codename="practice.view")
    not_mine = Permission.objects.get(codename="billing.refund")
    url = reverse("admin:django_rbac_role_change", args=[staff_role.pk])
    data = {"name": "Staff", "slug": "staff", "hierarchy_level": 20, "is_active": "on"}
    response = client.post(url, {**data, "permissions": [not_mine.pk]})
    assert response.status_code == 200  # not a valid choice
    assert not staff_role.group.permissions.exists()
    assert client.post(url, {**data, "permissions": [mine.pk]}).status_code == 302
    assert list(staff_role.group.permissions.all()) == [mine]


def test_assignment_admin_goes_through_assign_role(client, manager, staff_role, make_user):
    client.force_login(manager)
    clerk, peer = make_user(), make_user(60)
    url = reverse("admin:django_rbac_userrole_add")
    data = {"user": clerk.pk, "role": staff_role.pk, "valid_from_0": "2024-01-01"}
    data["valid_from_1"] = "00:00:00"
    assert client.post(url, data).status_code == 302
    assignment = UserRole.objects.get(user=clerk)
    assert assignment.assigned_by == manager
    response = client.post(url, {**data, "user": peer.pk})
    assert b"expected a user below level 60" in response.content
    assert not UserRole.objects.filter(user=peer, role=staff_role).exists()


def test_assignment_admin_offers_only_manageable_roles(client, manager, staff_role, manager_role):
    client.force_login(manager)
    content = client.get(reverse("admin:django_rbac_userrole_add")).content.decode()
    assert "Staff (20)" in content
    assert "Manager (60)" not in content


def test_revoke_action_and_no_delete(client, manager, staff_role, make_user, superuser):
    client.force_login(manager)
    low = assign_role(make_user(), staff_role, superuser)
    high = assign_role(make_user(60), staff_role, superuser)
    url = reverse("admin:django_rbac_userrole_changelist")
    client.post(url, {"action": "revoke_selected", "_selected_action": [low.pk, high.pk]})
    low.refresh_from_db()
    high.refresh_from_db()
    assert low.revoked_by == manager
    assert high.revoked_at is None  # a level-60 user is not the manager's to manage
    delete_url = reverse("admin:django_rbac_userrole_delete", args=[low.pk])
    assert client.get(delete_url).status_code == 403


def test_user_admin_refuses_editing_a_peer(client, manager, make_user):
    client.force_login(manager)
    peer, clerk = make_user(60), make_user(20)
    peer_url = reverse("admin:testapp_user_change", args=[peer.pk])
    data = {
        "username": "renamed",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "is_superuser": "on",
    }
    client.post(peer_url, data)
    peer.refresh_from_db()
    assert peer.username != "renamed"
    clerk_url = reverse("admin:testapp_user_change", args=[clerk.pk])
    assert client.post(clerk_url, data).status_code == 302
    clerk.refresh_from_db()
    assert clerk.username == "renamed"
    assert not clerk.is_superuser  # read-only for non-superusers


def test_an_assignment_change_saves_and_clears_the_users_cache(
    client, superuser, staff_role, make_user
):
    clerk = make_user()
    assignment = assign_role(clerk, staff_role, superuser)
    client.force_login(superuser)
    url = reverse("admin:django_rbac_userrole_change", args=[assignment.pk])
    data = {"valid_to_0": "2999-01-01", "valid_to_1": "00:00:00", "is_primary": "on"}
    assert client.post(url, data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_primary
    assert assignment.valid_to.year == 2999


def test_an_assignment_form_without_a_user_reports_the_missing_field(client, superuser, staff_role):
    client.force_login(superuser)
    response = client.post(reverse("admin:django_rbac_userrole_add"), {"role": staff_role.pk})
    assert response.status_code == 200
    assert not UserRole.objects.exists()


def test_superusers_may_edit_the_superuser_flag(rf, superuser, manager):
    from tests.testapp.models import User

    user_admin = admin.site._registry[User]
    request = rf.get("/")
    request.user = superuser
    assert "is_superuser" not in user_admin.get_readonly_fields(request)
    request.user = manager
    assert "is_superuser" in user_admin.get_readonly_fields(request)
