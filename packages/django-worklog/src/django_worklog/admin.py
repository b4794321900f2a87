"""Admin for work sessions: times are read-only (server clock); filter by user and state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from django_basemodels import admin as basemodels_admin
from django_basemodels.admin import ReadOnlyAdminMixin
from django_worklog.models import ContextTotal, WorkSession
from django_worklog.services import _stop_selected

if TYPE_CHECKING:  # generic in the type stubs only
    _SessionAdmin = admin.ModelAdmin[WorkSession]
    _TotalAdmin = admin.ModelAdmin[ContextTotal]
else:
    _SessionAdmin = _TotalAdmin = admin.ModelAdmin


class BoundedCountPaginator(basemodels_admin.BoundedCountPaginator):
    """django-basemodels' paginator, counting at most ``count_limit`` sessions: a longer list
    shows ``count_limit`` as its size and that many rows' worth of pages; the filters (state,
    user, start date) narrow it to the rest.

    The count is unordered (the default): any ``count_limit`` rows tell the size, and without
    the list's ``ORDER BY started_at, id`` the database need not read (or sort) the rows
    themselves. One user's live sessions are then counted from the index on (user, started_at,
    deleted_at) alone, an index-only scan on PostgreSQL, however many sessions that user has.
    """

    count_limit = 10_000
    says_more_than = False


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


class RecentUserFilter(admin.SimpleListFilter):
    """Filter by user, offering the users of the newest sessions, not every user.

    A choice per user would list the whole user table on every page (a hundred thousand links).
    The choices are the first ``shown`` distinct users among the ``window`` newest sessions (read
    backwards along the index on ``started_at``), plus the user filtered by: two queries of
    bounded size, whatever the number of users or sessions. Any user can still be chosen by
    the URL parameter, ``?user__id__exact=<pk>`` (as with Django's own foreign key filter).
    """

    title = "user"
    parameter_name = "user__id__exact"  # Django's own parameter for a foreign key filter
    shown = 20
    window = 500

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        newest = model_admin.model.objects.order_by("-started_at").values_list("user_id")
        pks = list(dict.fromkeys(pk for (pk,) in newest[: self.window]))[: self.shown]
        chosen = self._chosen_pk()
        if chosen is not None and chosen not in pks:
            pks.append(chosen)
        users = get_user_model()._base_manager.in_bulk(pks)
        return [(str(pk), str(users[pk])) for pk in pks if pk in users]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() is None:
            return queryset
        chosen = self._chosen_pk()
        if chosen is None:  # the list says "incorrect lookup parameters", as Django's filters do
            raise IncorrectLookupParameters(f"user key {self.value()!r}")
        return queryset.filter(user_id=chosen)

    def _chosen_pk(self) -> Any:
        """The user key in the URL, as the user model's key type; None if absent or malformed."""
        if self.value() is None:
            return None
        try:
            return get_user_model()._meta.pk.to_python(self.value())
        except ValidationError:
            return None


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
    # No date_hierarchy: its year links come from SELECT DISTINCT over every session. The
    # start-date filter offers fixed ranges instead, each an index range on started_at.
    list_filter = [
        ActiveFilter,
        ("started_at", admin.DateFieldListFilter),
        RecentUserFilter,
        "stop_reason",
        "context_content_type",
    ]
    list_select_related = ["user", "context_content_type"]
    paginator = BoundedCountPaginator
    show_full_result_count = False  # a second COUNT(*), of the whole table, on every page
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


@admin.register(ContextTotal)
class ContextTotalAdmin(ReadOnlyAdminMixin, _TotalAdmin):
    """The all-time totals the database keeps: read-only (only its triggers write them)."""

    list_display = ["user", "context_content_type", "context_id", "sessions", "seconds"]
    list_select_related = ["user", "context_content_type"]
    raw_id_fields = ["user"]  # no select of every user on the (read-only) page
    paginator = BoundedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(sessions__gt=0)  # skip emptied rows
