"""Opt-in automatic change tracking: inherit ``AuditTrackedModel``.

Every create, update and delete of a tracked model writes an entry with the field diff, in the
same transaction as the write. The diff on update needs no SELECT: the values loaded from the
database are remembered by ``from_db`` and compared with what ``save()`` wrote. The bulk paths
(``QuerySet.update/delete``, ``bulk_create``, ``bulk_update``) are covered by the queryset mixin
in ``tracked_query``, installed on every manager of the model when its class is prepared.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any, ClassVar

from django.db import connections, models, router, transaction
from django.db.models.fields import Field
from django.db.models.signals import class_prepared, post_delete, post_save

from django_audit_log import single_statement
from django_audit_log.markers import alters_data
from django_audit_log.services import (
    batched_entries,
    build_entry,
    target_columns,
    write_entries,
)

_fields_cache: dict[type, tuple[Field[Any, Any], ...]] = {}
_MUTABLE = (dict, list)


class AuditTrackedModel(models.Model):
    """Inherit (first) to have every change of the model written to the audit log.

    Class attributes: ``audit_fields`` (names to track; default every concrete field except the
    primary key and ``auto_now`` fields), ``audit_exclude`` (names to leave out) and
    ``audit_sensitivity`` (of the entries written; default ``"normal"``).
    """

    audit_fields: ClassVar[tuple[str, ...] | None] = None
    audit_exclude: ClassVar[tuple[str, ...]] = ()
    audit_sensitivity: ClassVar[str] = "normal"
    # The tracked values as loaded from the database (set by from_db(), kept in __dict__).
    _audit_loaded: dict[str, Any]

    class Meta:
        abstract = True

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if single_statement.applies(self, using):
            # PostgreSQL: the row's INSERT/UPDATE carries the entry in the same statement.
            with single_statement.carrying_entry(self, using, kwargs.get("update_fields")):
                super().save(*args, **kwargs)
            return
        with write_transaction(using):
            super().save(*args, **kwargs)  # the entry is written by post_save, inside

    @alters_data
    def delete(self, using: str | None = None, keep_parents: bool = False) -> Any:
        using = using or router.db_for_write(type(self), instance=self)
        with write_transaction(using), batched_entries(using):
            return super().delete(using=using, keep_parents=keep_parents)

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Any:
        # **kwargs: Django 6.1 passes fetch_mode, earlier versions nothing.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_loaded = snapshot(dict(zip(field_names, values, strict=True)))
        return instance

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if fields is not None:
            fields = list(fields)  # read twice below
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset, **kwargs)
        refreshed = tracked_fields(type(self))
        if fields is not None:  # the others may hold unsaved changes: they are no new base
            refreshed = named(refreshed, fields)
        remember(self, current_values(self, refreshed))


def write_transaction(using: str) -> Any:
    """A transaction around a write and its entry, unless one is already open."""
    if connections[using].in_atomic_block:
        return nullcontext()
    return transaction.atomic(using=using)


def tracked_fields(model: type[AuditTrackedModel]) -> tuple[Field[Any, Any], ...]:
    """The fields of ``model`` whose changes are logged (computed once per model)."""
    cached = _fields_cache.get(model)
    if cached is None:
        names = model.audit_fields
        excluded = set(model.audit_exclude)
        cached = tuple(
            field
            for field in model._meta.concrete_fields
            if not field.primary_key
            and (
                field.name in names
                if names is not None
                else field.name not in excluded and not getattr(field, "auto_now", False)
            )
        )
        _fields_cache[model] = cached
    return cached


def named(fields: tuple[Field[Any, Any], ...], names: Any) -> tuple[Field[Any, Any], ...]:
    """Those of ``fields`` that ``names`` names, by name or by attname."""
    names = set(names)
    return tuple(field for field in fields if field.name in names or field.attname in names)


def is_expression(value: Any) -> bool:
    """Whether ``value`` is computed by the database (``F("n") + 1``, ``Now()``, a
    ``db_default`` placeholder) rather than a value Python knows."""
    return hasattr(value, "resolve_expression")


def snapshot(values: dict[str, Any]) -> dict[str, Any]:
    """Values to compare against later; mutable ones copied so in-place edits show up."""
    for key, value in values.items():
        if isinstance(value, _MUTABLE):
            values[key] = copy.deepcopy(value)
    return values


def remember(instance: models.Model, values: dict[str, Any]) -> None:
    """Record ``values`` (by attname) as what the database now holds for ``instance``: the base
    of the next diff."""
    instance.__dict__.setdefault("_audit_loaded", {}).update(snapshot(dict(values)))


def current_values(instance: models.Model, fields: tuple[Field[Any, Any], ...]) -> dict[str, Any]:
    """Attribute values of the loaded (non-deferred) ``fields``, by attname."""
    state = instance.__dict__
    return {field.attname: state[field.attname] for field in fields if field.attname in state}


def same(field: Field[Any, Any], old: Any, new: Any) -> bool:
    if old == new:
        return True
    if old is None or new is None or type(old) is type(new):
        return False
    try:  # "1.50" assigned to a DecimalField is the Decimal it will be read back as
        return bool(field.to_python(new) == old)
    except Exception:
        return False


def diff(
    fields: tuple[Field[Any, Any], ...], loaded: dict[str, Any], current: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """``{name: {"old", "new"}}`` for fields whose value changed; "old" absent when unknown."""
    changes = {}
    for field in fields:
        if field.attname not in current:
            continue
        new = current[field.attname]
        if field.attname in loaded:
            old = loaded[field.attname]
            if not same(field, old, new):
                changes[field.name] = {"old": old, "new": new}
        else:
            changes[field.name] = {"new": new}
    return changes


def entry_for(
    action: str,
    model: type[AuditTrackedModel],
    changes: dict[str, Any],
    obj: models.Model | None = None,
    pk: Any = None,
    via: str | None = None,
) -> Any:
    """An unsaved entry for one row of ``model`` (``obj`` when we have it, else its ``pk``)."""
    entry = build_entry(
        action,
        changes=changes,
        metadata={"via": via} if via else None,
        sensitivity=model.audit_sensitivity,
    )
    if obj is not None:
        target = target_columns(model, obj.pk, obj)
    else:
        target = target_columns(model, pk, f"{model._meta.verbose_name} {pk}")
    for attname, value in target.items():
        setattr(entry, attname, value)
    return entry


def changes_on_save(
    instance: Any, created: bool, update_fields: Any, using: str
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """``(action, changes, saved values)`` of a save; no entry is due when an update has no
    changes. With ``update_fields`` only those fields were written, so only they are diffed and
    only their values become the base of the next diff."""
    fields = tracked_fields(type(instance))
    if update_fields is not None:
        fields = named(fields, update_fields)
    model, pk = type(instance), instance.pk
    saved = with_stored_values(model, {pk: current_values(instance, fields)}, using)[pk]
    if created:
        return "create", created_changes(fields, saved), saved
    return "update", diff(fields, instance.__dict__.get("_audit_loaded") or {}, saved), saved


def created_changes(
    fields: tuple[Field[Any, Any], ...], saved: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """The diff of a new row: every tracked field it was given a value, from ``None``. Fields
    left empty (``None``) are no change at all, and are not recorded."""
    return {
        field.name: {"old": None, "new": saved[field.attname]}
        for field in fields
        if saved.get(field.attname) is not None
    }


def with_stored_values(
    model: type[models.Model], currents: dict[Any, dict[str, Any]], using: str
) -> dict[Any, dict[str, Any]]:
    """``currents`` (values by attname, per primary key) with each expression replaced by the
    value the database stored: one SELECT for all the rows that hold one, only when any does."""
    computed = {
        pk: [name for name, value in values.items() if is_expression(value)]
        for pk, values in currents.items()
    }
    computed = {pk: names for pk, names in computed.items() if names}
    if not computed:
        return currents
    columns = sorted({name for names in computed.values() for name in names})
    rows: models.QuerySet[models.Model] = models.QuerySet(model=model, using=using).filter(
        pk__in=list(computed)
    )
    for row in rows.values(*columns, "pk"):
        currents[row["pk"]].update((name, row[name]) for name in computed[row["pk"]])
    return currents


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


def _install(sender: type[models.Model], **kwargs: Any) -> None:
    """On ``class_prepared``: hook a concrete tracked model's signals and managers."""
    if not issubclass(sender, AuditTrackedModel) or sender._meta.abstract:
        return
    uid = f"django_audit_log:{sender._meta.label}"
    post_save.connect(_on_saved, sender=sender, weak=False, dispatch_uid=uid)
    post_delete.connect(_on_deleted, sender=sender, weak=False, dispatch_uid=uid)
    from django_audit_log.tracked_query import install_tracked_managers

    install_tracked_managers(sender)


class_prepared.connect(_install, weak=False, dispatch_uid="django_audit_log:tracking")

from django_audit_log import soft_delete  # noqa: E402, F401  (receivers for django_basemodels)
