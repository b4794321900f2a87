"""Soft deletes and restores of tracked models (``django_basemodels``), cascade included.

``django_basemodels`` writes soft deletes with one UPDATE per model through a plain queryset and
then sends ``post_soft_delete(moment, counts)``. Every row of the batch carries that exact
``deleted_at``, so one SELECT per tracked model finds them; their entries are written with one
INSERT. A restore of a tracked queryset logs its own rows (``TrackedQuerySetMixin.restore``);
rows of other tracked models that the restore brought back with it are reported by
``post_restore`` as counts only, and are logged as one entry per model with that count.

The receivers are connected by ``receivers.connect()``, from the app's ``ready()``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from django_audit_log.diffing import entry_for
from django_audit_log.services import build_entry, write_entries
from django_audit_log.tracking import AuditTrackedModel


def _tracked(label: str) -> type[AuditTrackedModel] | None:
    model = apps.get_model(label)
    return model if issubclass(model, AuditTrackedModel) else None


def on_soft_delete(
    sender: Any, moment: Any, counts: dict[str, int], using: str, **kwargs: Any
) -> None:
    entries = []
    for label, count in counts.items():
        model = _tracked(label)
        if model is None or not count:
            continue
        rows: models.QuerySet[models.Model] = models.QuerySet(model=model, using=using)
        for obj in rows.filter(deleted_at=moment):
            changes = {"deleted_at": {"old": None, "new": moment}}
            entries.append(entry_for("delete", model, changes, obj=obj, via="soft_delete"))
    write_entries(entries, using)


def on_restore(sender: Any, counts: dict[str, int], using: str, **kwargs: Any) -> None:
    entries = []
    for label, count in counts.items():
        model = _tracked(label)
        if model is None or not count or model is sender:
            continue  # the restored queryset's own rows are logged row by row
        entry = build_entry(
            "restore",
            metadata={"via": "restore cascade", "rows": count, "cause": sender._meta.label},
            sensitivity=model.audit_sensitivity,
        )
        entry.target_content_type = ContentType.objects.get_for_model(model)
        entries.append(entry)
    write_entries(entries, using)
