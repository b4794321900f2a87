"""The field diff of a tracked write, and the unsaved entry that records it.

What the database held is remembered per instance (``from_db``, then after every save) and
compared with what a save wrote, so an update's diff needs no SELECT. Used by the model mixin
(``tracking``), the single-statement write (``single_statement``), the tracked querysets
(``tracked_query``) and the receivers (``receivers``); it imports none of them.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields import Field

from django_audit_log.services import build_entry, target_columns

# Per model: its concrete fields when computed (Django makes a new tuple when a field is added),
# and the tracked ones among them.
_fields_cache: dict[type, tuple[Any, tuple[Field[Any, Any], ...]]] = {}
_MUTABLE = (dict, list)
# What fields hold most of the time, none of it computed by the database: known by its exact
# type before the attribute lookup, which costs a raised AttributeError per plain value.
_PLAIN_VALUES = frozenset(
    {
        str,
        int,
        float,
        bool,
        type(None),
        decimal.Decimal,
        datetime.date,
        datetime.datetime,
        datetime.time,
        datetime.timedelta,
        uuid.UUID,
        dict,
        list,
    }
)


def tracked_fields(model: type[models.Model]) -> tuple[Field[Any, Any], ...]:
    """The fields of ``model`` (an ``AuditTrackedModel``) whose changes are logged, from its
    ``audit_fields`` / ``audit_exclude`` (computed once per model and set of fields)."""
    concrete = model._meta.concrete_fields
    cached = _fields_cache.get(model)
    if cached is None or cached[0] is not concrete:
        names: tuple[str, ...] | None = getattr(model, "audit_fields", None)
        excluded = set(getattr(model, "audit_exclude", ()))
        tracked = tuple(
            field
            for field in concrete
            if not field.primary_key
            and (
                field.name in names
                if names is not None
                else field.name not in excluded and not getattr(field, "auto_now", False)
            )
        )
        cached = _fields_cache[model] = (concrete, tracked)
    return cached[1]


def named(fields: tuple[Field[Any, Any], ...], names: Any) -> tuple[Field[Any, Any], ...]:
    """Those of ``fields`` that ``names`` names, by name or by attname."""
    names = set(names)
    return tuple(field for field in fields if field.name in names or field.attname in names)


def is_expression(value: Any) -> bool:
    """Whether ``value`` is computed by the database (``F("n") + 1``, ``Now()``, a
    ``db_default`` placeholder) rather than a value Python knows."""
    return type(value) not in _PLAIN_VALUES and hasattr(value, "resolve_expression")


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
    model: type[models.Model],
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
        sensitivity=getattr(model, "audit_sensitivity", "normal"),
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
