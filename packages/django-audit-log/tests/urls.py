from django.contrib import admin
from django.http import JsonResponse
from django.urls import path

from django_audit_log import log_event


def sync_view(request):
    entry = log_event("view.sync")
    return JsonResponse({"entry": str(entry.pk)})


async def async_view(request):
    from asgiref.sync import sync_to_async

    entry = await sync_to_async(log_event)("view.async")
    return JsonResponse({"entry": str(entry.pk)})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("sync/", sync_view),
    path("async/", async_view),
]
