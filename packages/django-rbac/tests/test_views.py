import pytest
from django.core.exceptions import ImproperlyConfigured

from django_rbac.services import assign_role

pytestmark = pytest.mark.django_db


def test_module_mixin(client, make_user, superuser, staff_role, grant):
    assert client.get("/practice/edit/")["Location"] == "/login/?next=/practice/edit/"
    user = make_user()
    client.force_login(user)
    assert client.get("/practice/edit/").status_code == 403
    grant(staff_role, "practice.edit")
    assign_role(user, staff_role, superuser)
    assert client.get("/practice/edit/").status_code == 200


def test_level_mixin(client, make_user):
    assert client.get("/manager-cbv/").status_code == 302
    client.force_login(make_user(59))
    assert client.get("/manager-cbv/").status_code == 403
    client.force_login(make_user(60))
    assert client.get("/manager-cbv/").status_code == 200


def test_hierarchy_mixin_requires_a_strictly_higher_level(client, make_user):
    manager, peer, clerk = make_user(60), make_user(60), make_user(20)
    client.force_login(manager)
    assert client.get(f"/users/{clerk.pk}/edit/").status_code == 200
    assert client.get(f"/users/{peer.pk}/edit/").status_code == 403
    assert client.get(f"/users/{manager.pk}/edit/").status_code == 403
    client.logout()
    assert client.get(f"/users/{clerk.pk}/edit/").status_code == 302


def test_hierarchy_mixin_refuses_when_there_is_no_target(client, make_user):
    client.force_login(make_user(90))
    assert client.get("/edit-nobody/").status_code == 403


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/forgot-module/", "permission_module=None"),
        ("/forgot-level/", "needs a hierarchy level"),
        ("/forgot-target/", "does not implement get_managed_user"),
    ],
)
def test_misconfigured_views_fail_closed_even_for_superusers(client, superuser, url, message):
    client.force_login(superuser)
    with pytest.raises(ImproperlyConfigured, match=message):
        client.get(url)
    client.logout()
    with pytest.raises(ImproperlyConfigured):
        client.get(url)


def test_async_views_are_guarded_too(make_user, superuser, staff_role, grant):
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    client = AsyncClient()

    @async_to_sync
    async def get(url):
        return await client.get(url)

    for url in ("/async/practice/", "/async/manager-cbv/"):
        assert get(url).status_code == 302
    clerk = make_user(20)
    client.force_login(clerk)
    assert get("/async/practice/").status_code == 403
    assert get("/async/manager-cbv/").status_code == 403
    grant(staff_role, "practice.view")
    assign_role(clerk, staff_role, superuser)
    assert get("/async/practice/").content == b"ok"
    client.force_login(make_user(60))
    assert get("/async/manager-cbv/").content == b"ok"


def test_undeclared_module_view_answers_from_the_roles(client, superuser, make_user):
    client.force_login(make_user(90))
    assert client.get("/undeclared-module/").status_code == 403
    client.force_login(superuser)
    assert client.get("/undeclared-module/").status_code == 200


def test_undeclared_module_view_fails_closed_in_strict_mode(client, superuser, settings):
    settings.RBAC_STRICT_MODULES = True
    client.force_login(superuser)
    with pytest.raises(ImproperlyConfigured, match="not declared in RBAC_MODULES"):
        client.get("/undeclared-module/")


def test_module_mixin_with_malformed_names_is_improperly_configured(rf, superuser):
    from tests.testapp.views import PracticeEdit

    request = rf.get("/")
    request.user = superuser
    view = type("Empty", (PracticeEdit,), {"permission_module": ""}).as_view()
    with pytest.raises(ImproperlyConfigured, match="expected a non-empty string"):
        view(request)


def test_level_mixin_lets_an_active_superuser_through(client, superuser):
    client.force_login(superuser)
    assert client.get("/manager-cbv/").status_code == 200
