"""Read-only admin for audit entries that never counts the whole table."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.html import format_html

from django_audit_log import conf
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.values import clean_changes, is_sensitive, redacted

if TYPE_CHECKING:  # generic in the type stubs only
    _Paginator = Paginator[Any]
    _EntryAdmin = admin.ModelAdmin[AuditLog]
    _SealAdmin = admin.ModelAdmin[AuditSeal]
else:
    _Paginator = Paginator
    _EntryAdmin = _SealAdmin = admin.ModelAdmin


class BoundedCountPaginator(_Paginator):
    """Counts at most ``AUDIT_LOG_ADMIN_COUNT_LIMIT`` rows: ``COUNT(*)`` over a ``LIMIT``
    subquery, whose cost is bounded whatever the size of the table.

    Past the limit the unfiltered list shows PostgreSQL's planner estimate (free, from
    ``pg_class``); a filtered list shows the limit. Narrow the list with filters or search to
    reach older entries.
    """

    @cached_property
    def count(self) -> int:
        limit: int = conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT")
        queryset: Any = self.object_list  # the admin paginates querysets
        bounded: int = queryset[: limit + 1].count()
        if bounded <= limit:
            return bounded
        return max(limit, self._estimate())

    def _estimate(self) -> int:
        queryset: Any = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql" or queryset.query.where:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0


_SHOWN_AS = {"changes": "changes_redacted", "metadata": "metadata_redacted"}


def _as_json(value: Any) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return format_html("<pre>{}</pre>", text)


@admin.register(AuditLog)
class AuditLogAdmin(_EntryAdmin):
    list_display = (
        "created_at",
        "action",
        "actor_label",
        "target_label",
        "sensitivity",
        "ip_address",
    )
    list_filter = ("sensitivity", "action", "is_system", "created_at")
    search_fields = ("actor_display", "target_repr", "=target_id", "=request_id")
    ordering = ("-created_at", "-id")
    paginator = BoundedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    actions = None
    # Every field, read-only; the two JSON documents through methods that mask secrets again,
    # so that entries written before a redaction rule existed are not shown in clear either.
    readonly_fields = tuple(
        _SHOWN_AS.get(field.name, field.name) for field in AuditLog._meta.fields
    )
    fields = readonly_fields

    @admin.display(description="actor", ordering="actor_display")
    def actor_label(self, entry: AuditLog) -> str:
        return entry.actor_display or ("system" if entry.is_system else "-")

    @admin.display(description="target")
    def target_label(self, entry: AuditLog) -> str:
        if entry.target_content_type_id is None:
            return entry.target_repr or "-"
        model = ContentType.objects.get_for_id(entry.target_content_type_id)  # cached
        return f"{model.app_label}.{model.model}: {entry.target_repr}"

    @admin.display(description="changes")
    def changes_redacted(self, entry: AuditLog) -> str:
        return _as_json(clean_changes(entry.changes if isinstance(entry.changes, dict) else {}))

    @admin.display(description="metadata")
    def metadata_redacted(self, entry: AuditLog) -> str:
        mask = conf.get("AUDIT_LOG_REDACT_MASK")
        return _as_json(redacted(entry.metadata, mask, is_sensitive))

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditSeal)
class AuditSealAdmin(_SealAdmin):
    """Seals, read-only; ``manage.py verify_audit_log`` checks them."""

    list_display = ("number", "sealed_at", "entry_count", "first_created_at", "last_created_at")
    ordering = ("-number",)
    actions = None
    readonly_fields = tuple(f.name for f in AuditSeal._meta.fields if f.name != "records")
    fields = readonly_fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
