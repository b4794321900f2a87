from django.http import HttpResponse

from django_audit_log import log_event


def seen(request):
    entry = log_event("page_seen", metadata={"path": request.path})
    return HttpResponse(str(entry.pk))
