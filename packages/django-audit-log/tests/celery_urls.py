"""A view that enqueues a task, for the Celery tests (kept out of ``tests.urls``)."""

from django.http import JsonResponse
from django.urls import path

from tests.celery_app import write_entry


def enqueue_view(request):
    result = write_entry.delay("task.from_request")
    return JsonResponse({"task": result.id})


urlpatterns = [path("enqueue/", enqueue_view)]
