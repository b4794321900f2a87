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


def test_undeclared_module_fails_closed_on_every_request(rf, superuser):
    view = require_permission("practise", "view")(lambda request: "open door")
    request = rf.get("/")
    request.user = superuser
    with pytest.raises(ImproperlyConfigured, match="not declared in RBAC_MODULES"):
        view(request)
