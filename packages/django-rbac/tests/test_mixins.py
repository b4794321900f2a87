import pytest

from django_rbac.backends import RoleBackend
from django_rbac.exceptions import InvalidArgumentError, UnknownModulePermissionError
from django_rbac.models import Role
from django_rbac.services import assign_role, revoke_role
from tests.testapp.models import User

pytestmark = pytest.mark.django_db


def test_level_is_the_highest_current_role(make_user, superuser, staff_role, manager_role):
    user = make_user()
    assert user.hierarchy_level == 0
    assign_role(user, staff_role, superuser)
    assign_role(user, manager_role, superuser)
    assert user.hierarchy_level == 60
    assert set(user.get_current_roles()) == {staff_role, manager_role}


def test_inactive_user_has_level_zero_and_no_permissions(make_user, manager_role, grant):
    user = make_user(90, is_active=False)
    assert user.hierarchy_level == 0
    assert not user.has_module_permission("practice", "view")


def test_deactivating_a_role_removes_its_level(make_user, superuser, manager_role):
    user = make_user()
    assign_role(user, manager_role, superuser)
    manager_role.is_active = False
    manager_role.save()
    assert User.objects.get(pk=user.pk).hierarchy_level == 0


def test_can_manage_user_is_strictly_greater(make_user):
    manager, peer, clerk = make_user(60), make_user(60), make_user(20)
    assert manager.can_manage_user(clerk)
    assert not manager.can_manage_user(peer)
    assert not manager.can_manage_user(manager)
    assert not clerk.can_manage_user(manager)
    assert not manager.can_manage_user(None)


def test_manageable_roles_are_active_and_below(make_user, staff_role, manager_role, superuser):
    retired = Role.objects.create(name="Old", slug="old", hierarchy_level=10, is_active=False)
    manager = make_user(60)
    assert list(manager.get_manageable_roles()) == [staff_role]
    assert retired not in superuser.get_manageable_roles()
    assert manager_role in superuser.get_manageable_roles()


def test_module_permission_through_a_current_role(make_user, superuser, staff_role, grant):
    grant(staff_role, "practice.view")
    user = make_user()
    assert not user.has_module_permission("practice", "view")
    assign_role(user, staff_role, superuser)
    assert user.has_module_permission("practice", "view")
    assert not user.has_module_permission("practice", "edit")
    assert user.has_perm("django_rbac.practice.view")  # RoleBackend, same answer
    revoke_role(user, staff_role, superuser)
    assert not user.has_module_permission("practice", "view")


def test_superuser_has_every_declared_module_permission(superuser):
    assert superuser.has_module_permission("billing", "refund")


def test_undeclared_module_permission_is_an_error_in_strict_mode(make_user, settings):
    settings.RBAC_STRICT_MODULES = True
    with pytest.raises(UnknownModulePermissionError, match="expected one of the modules"):
        make_user().has_module_permission("practise", "view")
    with pytest.raises(UnknownModulePermissionError, match="'view', 'edit'"):
        make_user().has_module_permission("practice", "delete")


def test_undeclared_module_permission_is_answered_from_the_roles(
    make_user, superuser, staff_role, settings
):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    del settings.RBAC_MODULES  # a fresh install declares nothing
    user = make_user()
    assign_role(user, staff_role, superuser)
    assert user.has_module_permission("lab", "order") is False  # nothing grants it
    assert superuser.has_module_permission("lab", "order") is True
    # A permission row with that codename, put into a role's group, grants it.
    staff_role.group.permissions.add(
        Permission.objects.create(
            codename="lab.order",
            name="Can order lab",
            content_type=ContentType.objects.get_for_model(Role),
        )
    )
    assert User.objects.get(pk=user.pk).has_module_permission("lab", "order") is True


@pytest.mark.parametrize(
    ("module", "action"),
    [(None, "view"), ("practice", None), ("", "view"), (7, "view"), ("p" * 90, "a" * 20)],
)
def test_malformed_module_permission_names_are_the_package_error(make_user, module, action):
    with pytest.raises(InvalidArgumentError, match="expected"):
        make_user().has_module_permission(module, action)


def test_a_user_holding_a_future_role_acts_at_todays_level(make_user, superuser, staff_role):
    from datetime import timedelta

    from django.utils import timezone

    director = Role.objects.create(name="Director", slug="director", hierarchy_level=90)
    user = make_user(30)
    assign_role(user, director, superuser, valid_from=timezone.now() + timedelta(days=1))
    assert user.hierarchy_level == 30
    assert list(user.get_manageable_roles()) == [staff_role]
    assert user.can_manage_user(make_user(20))
    assert not user.can_manage_role(director)


def test_standing_level_counts_what_a_user_holds_or_will_hold(make_user, superuser):
    from datetime import timedelta

    from django.utils import timezone

    from django_rbac.access import SUPERUSER_LEVEL, standing_level

    now = timezone.now()
    user = make_user(20)
    dormant = Role.objects.create(name="Dormant", slug="dormant", hierarchy_level=70)
    assign_role(user, dormant, superuser)
    dormant.is_active = False
    dormant.save()
    assert standing_level(User.objects.get(pk=user.pk)) == 70  # it can be switched back on
    ended = Role.objects.create(name="Ended", slug="ended", hierarchy_level=95)
    assign_role(user, ended, superuser, valid_from=now - timedelta(days=2), valid_to=now)
    revoked = Role.objects.create(name="Revoked", slug="revoked", hierarchy_level=99)
    assign_role(user, revoked, superuser)
    revoke_role(user, revoked, superuser)
    assert standing_level(User.objects.get(pk=user.pk)) == 70  # expired and revoked: gone
    inactive_superuser = User.objects.create_superuser("gone", "g@example.com", "pw")
    inactive_superuser.is_active = False
    assert standing_level(inactive_superuser) == SUPERUSER_LEVEL
    assert standing_level(None) == 0


def test_any_number_of_checks_cost_two_queries(
    make_user, superuser, staff_role, manager_role, grant, django_assert_num_queries
):
    grant(staff_role, "practice.view", "billing.view")
    user = make_user()
    assign_role(user, staff_role, superuser)
    assign_role(user, manager_role, superuser)
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(2):
        for _ in range(50):
            assert fresh.hierarchy_level == 60
            assert fresh.has_module_permission("practice", "view")
            assert not fresh.has_module_permission("billing", "refund")
            assert RoleBackend().has_perm(fresh, "django_rbac.billing.view")
            fresh.get_manageable_roles()  # a lazy queryset, not evaluated


def test_assign_and_revoke_invalidate_the_cache(make_user, superuser, staff_role, grant):
    grant(staff_role, "practice.edit")
    user = make_user()
    assert not user.has_module_permission("practice", "edit")  # cached: False
    assign_role(user, staff_role, superuser)
    assert user.has_module_permission("practice", "edit")
    assert user.hierarchy_level == 20
    revoke_role(user, staff_role, superuser)
    assert user.hierarchy_level == 0


def test_refresh_from_db_clears_the_cache(make_user, staff_role):
    user = make_user()
    assert user.hierarchy_level == 0
    from django_rbac.models import UserRole

    UserRole.objects.create(user=user, role=staff_role)
    assert user.hierarchy_level == 0  # cached for this object's lifetime
    user.refresh_from_db()
    assert user.hierarchy_level == 20


@pytest.mark.parametrize("how", ["deactivated", "soft-deleted", "expired"])
def test_a_dead_role_grants_no_permission(make_user, superuser, staff_role, grant, how):
    from datetime import timedelta

    from django.utils import timezone

    grant(staff_role, "billing.refund")
    user = make_user()
    now = timezone.now()
    if how == "expired":
        assign_role(user, staff_role, superuser, valid_from=now - timedelta(days=2), valid_to=now)
    else:
        assign_role(user, staff_role, superuser)
        if how == "deactivated":
            staff_role.is_active = False
            staff_role.save()
        else:
            staff_role.delete()
    fresh = User.objects.get(pk=user.pk)
    assert not fresh.has_module_permission("billing", "refund")
    assert not fresh.has_perm("django_rbac.billing.refund")
    assert fresh.hierarchy_level == 0


def test_role_backend_answers_ordinary_model_permissions_too(make_user, superuser, staff_role):
    from django.contrib.auth.models import Permission

    staff_role.group.permissions.add(Permission.objects.get(codename="view_group"))
    user = make_user()
    backend = RoleBackend()
    assert not backend.has_perm(user, "auth.view_group")
    assign_role(user, staff_role, superuser)
    assert backend.get_all_permissions(user) == {"auth.view_group"}
    assert backend.has_perm(user, "auth.view_group")
    assert user.has_perm("auth.view_group")  # through AUTHENTICATION_BACKENDS
    assert backend.has_module_perms(user, "auth")
    assert not backend.has_module_perms(user, "django_rbac")
    # Object permissions and direct user permissions are not this backend's business.
    assert not backend.has_perm(user, "auth.view_group", obj=staff_role.group)
    assert backend.get_user_permissions(user) == set()
    assert backend.authenticate(None, username=user.username, password="") is None
    user.is_active = False
    assert backend.get_all_permissions(user) == set()


def test_superusers_manage_everyone_and_nobody_manages_no_role(superuser, make_user):
    fallen = User.objects.create_superuser("fallen", "f@example.com", "pw", is_active=False)
    assert superuser.can_manage_user(fallen)
    assert fallen.standing_level == 101
    assert not fallen.can_manage_user(make_user())
    assert not make_user(90).can_manage_role(None)
    user = make_user(30)
    assert user.standing_level == 30
    user.clear_rbac_cache()
    assert not hasattr(user, "_rbac_access_cache")
    assert RoleBackend().get_user(user.pk) is None
