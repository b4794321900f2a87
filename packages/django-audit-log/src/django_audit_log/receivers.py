"""The receivers that turn tracked writes into entries, connected by ``AuditLogConfig.ready()``.

- ``post_save`` / ``post_delete`` of every concrete ``AuditTrackedModel``: an entry with the diff
  (unless the single statement already wrote it with the row);
- its managers get the tracked queryset (``tracked_query``, through ``tracked_managers``), so
  the bulk paths log too;
- django_basemodels' ``post_soft_delete`` / ``post_restore``: the rows of tracked models that a
  soft delete or restore wrote (``soft_delete``).

Models defined after the app registry is ready (a test's model, a migration's historical model)
are installed when their class is prepared.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import class_prepared, post_delete, post_save

from django_audit_log import soft_delete
from django_audit_log.diffing import (
    changes_on_save,
    current_values,
    entry_for,
    remember,
    tracked_fields,
)
from django_audit_log.services import write_entries
from django_audit_log.tracked_managers import install_tracked_managers
from django_audit_log.tracking import AuditTrackedModel
from django_basemodels.signals import post_restore, post_soft_delete


def connect() -> None:
    """Connect every receiver of the package; safe to call twice (``dispatch_uid``)."""
    for model in apps.get_models():
        install(model)
    class_prepared.connect(_on_class_prepared, dispatch_uid="django_audit_log:tracking")
    post_soft_delete.connect(
        soft_delete.on_soft_delete, weak=False, dispatch_uid="django_audit_log:soft-delete"
    )
    post_restore.connect(
        soft_delete.on_restore, weak=False, dispatch_uid="django_audit_log:restore"
    )


def install(model: type[models.Model]) -> None:
    """Hook a concrete tracked model's signals and managers (other models are left alone)."""
    if not issubclass(model, AuditTrackedModel) or model._meta.abstract:
        return
    if model.__dict__.get("_audit_installed"):  # its own flag, not a parent's
        return
    model._audit_installed = True  # type: ignore[attr-defined]
    uid = f"django_audit_log:tracked:{model._meta.label}"
    post_save.connect(_on_saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_on_deleted, sender=model, weak=False, dispatch_uid=uid)
    install_tracked_managers(model)


def _on_class_prepared(sender: type[models.Model], **kwargs: Any) -> None:
    install(sender)


def _on_saved(sender: Any, instance: Any, created: bool, using: str, **kwargs: Any) -> None:
    saved = instance.__dict__.pop("_audit_written", None)
    if saved is not None:  # the entry went with the row (single_statement)
        remember(instance, saved)
        return
    action, changes, saved = changes_on_save(instance, created, kwargs.get("update_fields"), using)
    remember(instance, saved)
    if changes or created:
        write_entries([entry_for(action, sender, changes, obj=instance)], using)


def _on_deleted(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    fields = tracked_fields(sender)
    loaded = instance.__dict__.get("_audit_loaded") or {}
    current = current_values(instance, fields)
    # What the row held, to None; fields that were already empty record nothing.
    old_values = {f: loaded.get(f.attname, current.get(f.attname)) for f in fields}
    changes = {
        f.name: {"old": old, "new": None} for f, old in old_values.items() if old is not None
    }
    write_entries([entry_for("delete", sender, changes, obj=instance)], using)
