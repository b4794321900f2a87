import logging
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import PermissionDenied
from django.test import AsyncClient, RequestFactory
from django.views import View

from django_modules import ModuleRequiredMixin, disable_module, requires_module
from tests.testapp import views

pytestmark = pytest.mark.django_db


def headers(org):
    return {"X-Org": str(org.pk)}


@pytest.mark.parametrize("url", ["/pharmacy/", "/pharmacy-cbv/"])
def test_guard_allows_enabled_and_denies_disabled(client, org, other_org, pharmacy, url):
    disable_module(org, "pharmacy")
    assert client.get(url, headers=headers(other_org)).status_code == 200
    assert client.get(url, headers=headers(org)).status_code == 403


@pytest.mark.parametrize("url", ["/pharmacy/", "/pharmacy-cbv/"])
def test_guard_fails_closed_without_organization(client, pharmacy, url):
    assert client.get(url).status_code == 403


def test_guard_fails_closed_and_logs_on_unknown_module(client, org, pharmacy, caplog):
    with caplog.at_level(logging.ERROR, logger="django_modules"):
        assert client.get("/typo/", headers=headers(org)).status_code == 403
    assert "'pharmcy'" in caplog.text


@pytest.mark.parametrize(
    ("url", "body"),
    [("/pharmacy-async/", b"pharmacy async"), ("/pharmacy-async-cbv/", b"pharmacy async cbv")],
)
def test_async_view_guard(org, other_org, pharmacy, url, body):
    disable_module(org, "pharmacy")
    client = AsyncClient()
    allowed = async_to_sync(client.get)(url, headers=headers(other_org))
    denied = async_to_sync(client.get)(url, headers=headers(org))
    assert (allowed.status_code, allowed.content) == (200, body)
    assert denied.status_code == 403


def test_org_from_a_dotted_attribute_path(org, pharmacy):
    request = RequestFactory().get("/")
    request.tenant = SimpleNamespace(organization=org)
    assert views.by_attribute(request).content == b"by attribute"
    disable_module(org, "pharmacy")
    with pytest.raises(PermissionDenied):
        views.by_attribute(request)
    with pytest.raises(PermissionDenied):
        views.by_attribute(RequestFactory().get("/"))  # no request.tenant at all


def test_default_org_attribute_comes_from_settings(settings, org, other_org, pharmacy):
    @requires_module("pharmacy")
    def view(request):
        return "ran"

    disable_module(org, "pharmacy")
    request = RequestFactory().get("/")
    request.organization = other_org
    assert view(request) == "ran"
    request.organization = org
    with pytest.raises(PermissionDenied):
        view(request)
    settings.MODULES_REQUEST_ORG_ATTRIBUTE = "company"
    request.company = other_org
    assert view(request) == "ran"


def test_mixin_without_required_module_fails_closed(org, pharmacy):
    class Forgotten(ModuleRequiredMixin, View):
        def get(self, request):
            return "ran"

    request = RequestFactory().get("/")
    request.organization = org
    with pytest.raises(PermissionDenied, match="required_module"):
        Forgotten.as_view()(request)


def test_mixin_get_module_org_can_be_overridden(org, other_org, pharmacy):
    disable_module(org, "pharmacy")

    class FixedOrg(ModuleRequiredMixin, View):
        required_module = "pharmacy"
        target = None

        def get_module_org(self):
            return self.target

        def get(self, request):
            return "ran"

    request = RequestFactory().get("/")
    assert FixedOrg.as_view(target=other_org)(request) == "ran"
    with pytest.raises(PermissionDenied):
        FixedOrg.as_view(target=org)(request)
