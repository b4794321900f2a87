"""Views used by the tests of the guards, the middleware and the template filter."""

from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.views import View

from django_modules import ModuleRequiredMixin, is_module_enabled, module_states, requires_module
from tests.testapp.models import Organization


def org_from_header(request, *args, **kwargs):
    pk = request.headers.get("X-Org")
    return Organization.objects.filter(pk=pk).first() if pk else None


class OrgFromHeaderMiddleware:
    """Sets request.organization, the way a host's tenant middleware would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = org_from_header(request)
        return self.get_response(request)


@requires_module("pharmacy", org_from=org_from_header)
def pharmacy(request):
    return HttpResponse("pharmacy")


@requires_module("pharmacy", org_from=org_from_header)
async def pharmacy_async(request):
    return HttpResponse("pharmacy async")


@requires_module("pharmcy", org_from=org_from_header)
def typo(request):
    return HttpResponse("never")


@requires_module("pharmacy", org_from="tenant.organization")
def by_attribute(request):
    return HttpResponse("by attribute")


class PharmacyView(ModuleRequiredMixin, View):
    required_module = "pharmacy"
    module_org_from = staticmethod(org_from_header)

    def get(self, request):
        return HttpResponse("pharmacy cbv")


class PharmacyAsyncView(ModuleRequiredMixin, View):
    required_module = "pharmacy"
    module_org_from = staticmethod(org_from_header)

    async def get(self, request):
        return HttpResponse("pharmacy async cbv")


def states(request):
    """Twenty checks for one organization: what a busy request does."""
    org = org_from_header(request)
    keys = sorted(module_states(org))
    results = {f"{key}#{i}": is_module_enabled(org, key) for i in range(20) for key in keys[:1]}
    return JsonResponse({"states": module_states(org), "checks": len(results)})


def menu(request):
    template = engines["django"].from_string(
        "{% load django_modules %}"
        "{% if org|module_enabled:'pharmacy' %}[pharmacy]{% endif %}"
        "{% if org|module_enabled:'lab' %}[lab]{% endif %}"
        "{% if org|module_enabled:'pharmcy' %}[typo]{% endif %}"
    )
    return HttpResponse(template.render({"org": org_from_header(request)}, request))
