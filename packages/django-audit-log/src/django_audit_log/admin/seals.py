"""Seals in the admin, read-only; ``manage.py verify_audit_log`` checks them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from django_audit_log.models import AuditSeal
from django_basemodels.admin import ReadOnlyAdminMixin

if TYPE_CHECKING:  # generic in the type stubs only
    _SealAdmin = admin.ModelAdmin[AuditSeal]
else:
    _SealAdmin = admin.ModelAdmin


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdminMixin, _SealAdmin):
    """Seals, read-only (number, time, range, MACs; not the records)."""

    list_display = ("number", "sealed_at", "entry_count", "first_created_at", "last_created_at")
    ordering = ("-number",)
    actions = None
    readonly_fields = tuple(f.name for f in AuditSeal._meta.fields if f.name != "records")
    fields = readonly_fields
