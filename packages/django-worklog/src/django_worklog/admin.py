"""Admin for work sessions: times are read-only (server clock); filter by user and state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.http import HttpRequest

from django_worklog.models import WorkSession
from django_worklog.services import _stop_selected

if TYPE_CHECKING:  # generic in the type stubs only
    _SessionAdmin = admin.ModelAdmin[WorkSession]
else:
    _SessionAdmin = admin.ModelAdmin


class ActiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "Active"), ("stopped", "Stopped")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "active":
            return queryset.active()
        if self.value() == "stopped":
            return queryset.stopped()
        return queryset


@admin.register(WorkSession)
class WorkSessionAdmin(_SessionAdmin):
    list_display = [
        "user",
        "context_content_type",
        "context_id",
        "started_at",
        "stopped_at",
        "duration_seconds",
        "stop_reason",
    ]
    list_filter = [ActiveFilter, "user", "stop_reason", "context_content_type"]
    list_select_related = ["user", "context_content_type"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "user",
        "context_content_type",
        "context_id",
        "started_at",
        "stopped_at",
        "duration_seconds",
        "stop_reason",
        "created_at",
        "updated_at",
    ]
    fields = [*readonly_fields, "metadata"]
    actions = ["stop_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Sessions are started by start_session() with the server's clock, not typed in.
        return False

    @admin.action(description="Stop the selected running sessions", permissions=["change"])
    def stop_selected(self, request: HttpRequest, queryset: Any) -> None:
        # One bulk stop (a constant number of queries); sessions stopped meanwhile are skipped.
        stopped = _stop_selected(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{len(stopped)} session(s) stopped.", messages.SUCCESS)
