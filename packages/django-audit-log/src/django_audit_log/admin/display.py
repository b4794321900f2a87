"""How an entry reads in the admin: its changes as a table, its target as a link, its times
to the second."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from django_audit_log import conf
from django_audit_log.models import AuditLog
from django_audit_log.values import clean_changes, is_sensitive, redacted

NOT_RECORDED = "(not recorded)"


def seconds(moment: datetime.datetime | None) -> str:
    """``2026-12-02 10:15:07 UTC``: to the second, in the current time zone."""
    if moment is None:
        return "-"
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def _cell(value: Any) -> str:
    """A value as a reader sees it: text as is, anything else as JSON (``null`` for None)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def change_rows(entry: AuditLog) -> list[tuple[str, str, str]]:
    """``(field, old, new)`` per changed field, sorted by field, masked with the current
    redaction settings (an entry written before a rule existed is not shown in clear either)."""
    changes = clean_changes(entry.changes if isinstance(entry.changes, Mapping) else {})
    rows = []
    for name, change in sorted(changes.items()):
        old = _cell(change["old"]) if "old" in change else NOT_RECORDED
        if "new" in change:
            new = _cell(change["new"])
        else:  # a log() caller's own shape: show it whole
            new = _cell({side: value for side, value in change.items() if side != "old"})
        rows.append((name, old, new))
    return rows


def changes_table(entry: AuditLog) -> str:
    return render_to_string(
        "admin/django_audit_log/auditlog/changes_table.html", {"rows": change_rows(entry)}
    )


def metadata_block(entry: AuditLog) -> str:
    shown = redacted(entry.metadata, conf.get("AUDIT_LOG_REDACT_MASK"), is_sensitive)
    text = json.dumps(shown, indent=2, ensure_ascii=False, sort_keys=True, default=str)
    return format_html("<pre>{}</pre>", text)


def target_text(entry: AuditLog) -> str:
    """``app.model: description``, from the content type loaded with the entry (no query)."""
    content_type = entry.target_content_type
    if content_type is None:
        return entry.target_repr or "-"
    model = f"{content_type.app_label}.{content_type.model}"
    return f"{model}: {entry.target_repr}" if entry.target_repr else model


def target_link(entry: AuditLog, request: Any, site: admin.AdminSite) -> str:
    """A link to the target's admin page when the target still exists there and the user may
    see it (one query, through that admin's own queryset); the plain text otherwise."""
    text = target_text(entry)
    content_type = entry.target_content_type
    model = content_type.model_class() if content_type is not None else None
    model_admin = site._registry.get(model) if model is not None else None
    if model is None or model_admin is None or not entry.target_id:
        return text
    if not model_admin.has_view_or_change_permission(request):
        return text
    target = model_admin.get_object(request, entry.target_id)
    if target is None or not model_admin.has_view_or_change_permission(request, target):
        return text
    opts = model._meta
    try:
        url = reverse(
            f"{site.name}:{opts.app_label}_{opts.model_name}_change",
            args=[quote(target.pk)],
            current_app=site.name,
        )
    except NoReverseMatch:
        return text
    return format_html('<a href="{}">{}</a>', url, text)
