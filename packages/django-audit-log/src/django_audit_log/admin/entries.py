"""Audit entries in the admin: read-only, and each page costs the same however large the table.

- Filters take their choices from what the package knows (``ActionFilter``, the sensitivity
  choices, yes/no, dates), never from a ``SELECT DISTINCT`` over the table; each is served by
  an index that starts with its column and ends with ``created_at``, the list's order.
- The search matches ids exactly through indexes and free text in a bounded window (``search``).
- The count stops at ``AUDIT_LOG_ADMIN_COUNT_LIMIT`` ("more than N"); facets (a count per
  filter choice) are off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR

from django_audit_log import conf
from django_audit_log.admin import display
from django_audit_log.admin.filters import ActionFilter
from django_audit_log.admin.search import NEWEST_MATCH_FIRST, help_text, search
from django_audit_log.models import AuditLog
from django_basemodels import admin as basemodels_admin
from django_basemodels.admin import ReadOnlyAdminMixin

if TYPE_CHECKING:  # generic in the type stubs only
    _EntryAdmin = admin.ModelAdmin[AuditLog]
else:
    _EntryAdmin = admin.ModelAdmin

# The detail page: every field in the model's order, some through a display method (None: shown
# as part of another).
_SHOWN_AS: dict[str, str | None] = {
    "created_at": "created_at_seconds",
    "target_content_type": "target_link",
    "target_repr": None,
    "changes": "changes_table",
    "metadata": "metadata_shown",
}


def _detail_fields() -> tuple[str, ...]:
    shown = (_SHOWN_AS.get(field.name, field.name) for field in AuditLog._meta.fields)
    return tuple(name for name in shown if name is not None)


class BoundedCountPaginator(basemodels_admin.BoundedCountPaginator):
    """django-basemodels' paginator, bounded by ``AUDIT_LOG_ADMIN_COUNT_LIMIT``: it counts at
    most that many entries + 1 and past it the list says "more than N"; filters and the search
    reach older entries.

    Newest first by time alone: the order of the indexes that serve the filters (each ends with
    ``created_at``), so the count walks limit + 1 index entries without a sort, and never the
    table's oldest pages (which pruning leaves dead until vacuumed).
    """

    count_ordering = ("-created_at",)

    def get_count_limit(self) -> int:
        return int(conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT"))


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, _EntryAdmin):
    list_display = (
        "created_at_seconds",
        "action",
        "actor_label",
        "target_label",
        "sensitivity",
        "ip_address",
    )
    list_filter = ("sensitivity", ActionFilter, "is_system", "created_at")
    # What the search box matches is decided by get_search_results (see search.py); the
    # box is shown because this is not empty.
    search_fields = ("=id", "=target_id", "=request_id", "actor_display", "target_repr")
    ordering = ("-created_at", "-id")
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a COUNT per filter choice would walk the table
    list_per_page = 50
    actions = None
    readonly_fields = _detail_fields()
    fields = readonly_fields

    class Media:
        css = {"all": ("django_audit_log/admin.css",)}

    def get_queryset(self, request: Any) -> Any:
        # The target's content type comes with each entry: no query per row for its label.
        return super().get_queryset(request).select_related("target_content_type")

    def get_ordering(self, request: Any) -> Any:
        # While searching, newest first by a sort key no index serves: the matches are read
        # through their indexes, never by walking the whole table newest first (search.py).
        if request.GET.get(SEARCH_VAR, "").strip():
            return (NEWEST_MATCH_FIRST, "-id")
        return self.ordering

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        return search(queryset, search_term), False

    def get_changelist_instance(self, request: Any) -> Any:
        changelist = super().get_changelist_instance(request)
        changelist.search_help_text = help_text()  # names the window, read at call time
        return changelist

    @admin.display(description="time", ordering="created_at")
    def created_at_seconds(self, entry: AuditLog) -> str:
        return display.seconds(entry.created_at)

    @admin.display(description="actor", ordering="actor_display")
    def actor_label(self, entry: AuditLog) -> str:
        return entry.actor_display or ("system" if entry.is_system else "-")

    @admin.display(description="target")
    def target_label(self, entry: AuditLog) -> str:
        return display.target_text(entry)

    def get_object(self, request: Any, object_id: str, from_field: Any = None) -> Any:
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:  # the link depends on the request's user: made here, once
            entry.__dict__["_admin_target_link"] = display.target_link(
                entry, request, self.admin_site
            )
        return entry

    @admin.display(description="target")
    def target_link(self, entry: AuditLog) -> str:
        link: str | None = entry.__dict__.get("_admin_target_link")
        return display.target_text(entry) if link is None else link

    @admin.display(description="changes")
    def changes_table(self, entry: AuditLog) -> str:
        return display.changes_table(entry)

    @admin.display(description="metadata")
    def metadata_shown(self, entry: AuditLog) -> str:
        return display.metadata_block(entry)
