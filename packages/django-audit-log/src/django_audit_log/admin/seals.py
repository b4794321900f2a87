"""Seals in the admin, read-only; ``manage.py verify_audit_log`` checks them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from django_audit_log.models import AuditSeal

if TYPE_CHECKING:  # generic in the type stubs only
    _SealAdmin = admin.ModelAdmin[AuditSeal]
else:
    _SealAdmin = admin.ModelAdmin


@admin.register(AuditSeal)
class AuditSealAdmin(_SealAdmin):
    """Seals, read-only (number, time, range, MACs; not the records)."""

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
