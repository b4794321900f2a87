import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from tests.testapp.models import ShopSettings, SiteSettings, TaxSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def request_as(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    return request


def model_admin(model):
    return admin.site._registry[model]


def test_add_allowed_only_while_the_table_is_empty(request_as):
    site_admin = model_admin(SiteSettings)
    assert site_admin.has_add_permission(request_as)
    SiteSettings.get_instance()
    assert not site_admin.has_add_permission(request_as)


def test_delete_never_allowed(request_as):
    settings = SiteSettings.get_instance()
    site_admin = model_admin(SiteSettings)
    assert not site_admin.has_delete_permission(request_as)
    assert not site_admin.has_delete_permission(request_as, settings)
    assert "delete_selected" not in site_admin.get_actions(request_as)


def test_changelist_redirects_to_the_row(admin_client):
    ShopSettings.get_instance()
    response = admin_client.get("/admin/testapp/shopsettings/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/testapp/shopsettings/1/change/"
    assert admin_client.get(response["Location"]).status_code == 200


def test_changelist_opens_the_add_form_while_empty(admin_client):
    response = admin_client.get("/admin/testapp/taxsettings/")
    assert response["Location"] == "/admin/testapp/taxsettings/add/"
    created = admin_client.post(response["Location"], {"tax_rate": "7.50"})
    assert created.status_code == 302
    assert TaxSettings.get_instance().tax_rate == 7.5


def test_add_view_refused_once_the_row_exists(admin_client):
    ShopSettings.get_instance()
    assert admin_client.get("/admin/testapp/shopsettings/add/").status_code == 403


def test_delete_view_refused(admin_client):
    ShopSettings.get_instance()
    assert admin_client.get("/admin/testapp/shopsettings/1/delete/").status_code == 403
    assert ShopSettings.objects.exists()


def test_change_form_saves_the_row(admin_client):
    ShopSettings.get_instance()
    response = admin_client.post("/admin/testapp/shopsettings/1/change/", {"currency": "USD"})
    assert response.status_code == 302
    assert ShopSettings.get_instance().currency == "USD"
