"""Views guarded in every supported way, for the decorator and mixin tests."""

from django.http import HttpResponse
from django.views import View

from django_rbac.decorators import require_permission, requires_hierarchy_level
from django_rbac.views import HierarchyLevelMixin, HierarchyPermissionMixin, ModulePermissionMixin
from tests.testapp.models import User


def ok(request, *args, **kwargs):
    return HttpResponse("ok")


async def ok_async(request, *args, **kwargs):
    return HttpResponse("ok")


practice_view = require_permission("practice", "view")(ok)
practice_view_async = require_permission("practice", "view")(ok_async)
manager_view = requires_hierarchy_level(60)(ok)


class PracticeEdit(ModulePermissionMixin, View):
    permission_module = "practice"
    permission_action = "edit"

    def get(self, request):
        return HttpResponse("ok")


class ForgotModule(ModulePermissionMixin, View):
    def get(self, request):
        return HttpResponse("open door")


class UndeclaredModule(ModulePermissionMixin, View):
    permission_module = "practise"
    permission_action = "view"

    def get(self, request):
        return HttpResponse("open door")


class ManagerOnly(HierarchyLevelMixin, View):
    required_hierarchy_level = 60

    def get(self, request):
        return HttpResponse("ok")


class ForgotLevel(HierarchyLevelMixin, View):
    def get(self, request):
        return HttpResponse("open door")


class EditUser(HierarchyPermissionMixin, View):
    def get_managed_user(self):
        return User.objects.get(pk=self.kwargs["pk"])

    def get(self, request, pk):
        return HttpResponse("ok")


class ForgotTarget(HierarchyPermissionMixin, View):
    def get(self, request):
        return HttpResponse("open door")


class ManagerOnlyAsync(HierarchyLevelMixin, View):
    required_hierarchy_level = 60

    async def get(self, request):
        return HttpResponse("ok")


class EditNobody(HierarchyPermissionMixin, View):
    def get_managed_user(self):
        return None  # e.g. a lookup that found nobody: must refuse, not pass

    def get(self, request):
        return HttpResponse("open door")
