import pytest
from django.core.exceptions import ImproperlyConfigured

from django_rbac.decorators import require_permission, requires_hierarchy_level
from django_rbac.services import assign_role

pytestmark = pytest.mark.django_db


def test_anonymous_goes_to_login(client):
    for url in ("/practice/", "/manager/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"


def test_authenticated_without_the_right_gets_403(client, make_user):
    client.force_login(make_user(20))
    assert client.get("/practice/").status_code == 403
    assert client.get("/manager/").status_code == 403


def test_the_right_lets_the_request_through(client, make_user, superuser, staff_role, grant):
    grant(staff_role, "practice.view")
    user = make_user(60)
    assign_role(user, staff_role, superuser)
    client.force_login(user)
    assert client.get("/practice/").content == b"ok"
    assert client.get("/manager/").content == b"ok"


def test_expired_or_revoked_roles_open_nothing(client, make_user, superuser, manager_role):
    from django_rbac.services import revoke_role

    user = make_user()
    assign_role(user, manager_role, superuser)
    revoke_role(user, manager_role, superuser)
    client.force_login(user)
    assert client.get("/manager/").status_code == 403


def test_superusers_pass(client, superuser):
    client.force_login(superuser)
    assert client.get("/practice/").status_code == 200
    assert client.get("/manager/").status_code == 200


@pytest.mark.parametrize("level", [0, 101, "60", None, True])
def test_bad_level_is_improperly_configured(level):
    with pytest.raises(ImproperlyConfigured, match="needs a hierarchy level from 1 to 100"):
        requires_hierarchy_level(level)


def test_bare_decorator_is_improperly_configured():
    def view(request):
        return None

    with pytest.raises(ImproperlyConfigured):
        requires_hierarchy_level(view)
    with pytest.raises(ImproperlyConfigured, match="needs a module and an action"):
        require_permission(view)
    with pytest.raises(ImproperlyConfigured):
        require_permission("practice")


def test_undeclared_module_fails_closed_on_every_request_in_strict_mode(rf, superuser, settings):
    settings.RBAC_STRICT_MODULES = True
    view = require_permission("practise", "view")(lambda request: "open door")
    request = rf.get("/")
    request.user = superuser
    with pytest.raises(ImproperlyConfigured, match="not declared in RBAC_MODULES"):
        view(request)


def test_undeclared_module_is_answered_from_the_roles(rf, superuser, make_user):
    from django.core.exceptions import PermissionDenied

    view = require_permission("practise", "view")(lambda request: "open door")
    assert view.rbac_module_permission == ("practise", "view")  # for check rbac.W002
    request = rf.get("/")
    request.user = make_user(90)
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = superuser
    assert view(request) == "open door"


@pytest.mark.parametrize(("module", "action"), [("", "view"), ("p" * 90, "a" * 20)])
def test_malformed_module_names_are_improperly_configured(module, action):
    with pytest.raises(ImproperlyConfigured, match="expected"):
        require_permission(module, action)


def test_a_role_starting_later_does_not_open_a_level_guard(rf, make_user, superuser):
    from datetime import timedelta

    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from django_rbac.models import Role

    director = Role.objects.create(name="Director", slug="director", hierarchy_level=90)
    user = make_user(20)
    assign_role(user, director, superuser, valid_from=timezone.now() + timedelta(days=1))
    request = rf.get("/")
    request.user = user
    with pytest.raises(PermissionDenied):
        requires_hierarchy_level(60)(lambda request: "open door")(request)
    superuser.is_active = False
    request.user = superuser
    with pytest.raises(PermissionDenied):
        requires_hierarchy_level(60)(lambda request: "open door")(request)
