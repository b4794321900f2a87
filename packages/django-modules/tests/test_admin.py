import pytest
from django.contrib import admin

from django_modules.admin import OrgModuleStateAdmin, org_search_fields
from django_modules.models import Module, OrgModuleState

pytestmark = pytest.mark.django_db


def test_every_model_is_registered():
    assert isinstance(admin.site._registry[OrgModuleState], OrgModuleStateAdmin)
    assert Module in admin.site._registry


def test_overrides_are_searchable_by_organization(admin_client, org, other_org, pharmacy):
    assert org_search_fields() == ["org__name"]
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    OrgModuleState.objects.create(org=other_org, module=pharmacy, enabled=True)
    url = "/admin/django_modules/orgmodulestate/"
    response = admin_client.get(url, {"q": "Bolt"})
    assert response.status_code == 200
    assert [state.org for state in response.context["cl"].result_list] == [other_org]


def test_module_page_shows_overrides_inline_and_saves_them(admin_client, org, pharmacy, signal_log):
    url = f"/admin/django_modules/module/{pharmacy.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    signal_log.clear()
    response = admin_client.post(
        url,
        {
            "key": "pharmacy",
            "name": "Pharmacy",
            "description": "",
            "active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-org": str(org.pk),
            f"{prefix}-0-enabled": "",
        },
    )
    assert response.status_code == 302
    assert signal_log == [("override", "Acme Clinic", "pharmacy", False, None)]
    assert OrgModuleState.objects.get().enabled is False


def test_module_changelist(admin_client, pharmacy, lab):
    response = admin_client.get("/admin/django_modules/module/", {"q": "lab"})
    assert list(response.context["cl"].result_list) == [lab]
