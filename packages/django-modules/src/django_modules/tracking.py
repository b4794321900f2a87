"""Turn writes into toggle signals and cache invalidation, whatever ORM path made them.

Every write path takes a snapshot of the rows it touches before and after writing, then
``emit()`` compares the two: a row that became live, stopped being live or changed its flag is a
toggle. Comparing database snapshots (not in-memory instances) keeps ``previous`` truthful even
when the caller's instance is stale.

This module stands below the models and their querysets (they call ``emit()``): it never imports
them, and finds ``Module`` and ``OrgModuleState`` in the app registry or through a relation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.options import Options

from django_modules import cache, signals

# A concrete subclass of ``django_modules.models.TrackedModel`` (which stands above this module,
# so it is not imported here), or one of its instances.
TrackedModel = Any

# A snapshot maps pk -> the row's toggle-relevant values, for live rows only.
Snapshot = dict[Any, tuple[Any, ...]]
# (pk, identity, new flag, old flag) for one row whose flag appeared, went or flipped.
Toggle = tuple[Any, tuple[Any, ...], Any, Any]


def snapshot(model: type[TrackedModel], pks: Iterable[Any], using: str) -> Snapshot:
    pks = list(pks)
    if not pks:
        return {}
    rows = model.all_objects.using(using).filter(pk__in=pks, deleted_at__isnull=True)
    return {row[0]: row[1:] for row in rows.values_list("pk", *model.TOGGLE_FIELDS)}


def locked_snapshot(queryset: models.QuerySet[Any, Any]) -> Snapshot:
    """Snapshot the rows of ``queryset``, locking them (PostgreSQL) until the transaction ends."""
    fields: tuple[str, ...] = queryset.model.TOGGLE_FIELDS
    # Rows are locked in primary-key order, as django-basemodels does, so that two writers
    # always queue in the same order and cannot deadlock.
    rows = queryset.order_by("pk").select_for_update().values_list("pk", "deleted_at", *fields)
    return {row[0]: row[2:] for row in rows if row[1] is None}


def emit(
    model: type[TrackedModel],
    before: Snapshot,
    after: Snapshot,
    using: str,
    known: Mapping[Any, TrackedModel] | None = None,
) -> None:
    """Invalidate the cache when anything changed and send a signal for each toggle."""
    changes = _toggles(before, after)
    if before != after:
        cache.invalidate(using)
    if not changes:
        return
    if issubclass(model, apps.get_model("django_modules", "Module")):
        _emit_modules(model, changes, using, known or {})
    else:
        _emit_overrides(model, changes, using, known or {})


def _toggles(before: Snapshot, after: Snapshot) -> list[Toggle]:
    """``(pk, identity, new flag, old flag)`` for each row whose flag appeared, went or flipped.

    The identity is every toggle field but the last (the flag): the module key, or the
    organization and module ids. A row whose identity changed counts as one removal plus one
    addition.
    """
    changes: list[Toggle] = []
    for pk in {**before, **after}:
        old, new = before.get(pk), after.get(pk)
        if old == new:
            continue
        if old is not None and new is not None and old[:-1] == new[:-1]:
            changes.append((pk, new[:-1], new[-1], old[-1]))
            continue
        if old is not None:
            changes.append((pk, old[:-1], None, old[-1]))
        if new is not None:
            changes.append((pk, new[:-1], new[-1], None))
    return changes


def _emit_modules(
    model: type[TrackedModel],
    changes: Sequence[Toggle],
    using: str,
    known: Mapping[Any, TrackedModel],
) -> None:
    missing = [pk for pk, *_ in changes if pk not in known]
    modules = {**model.all_objects.using(using).in_bulk(missing), **known} if missing else known
    for pk, _identity, active, previous in changes:
        signals.module_toggled.send(
            sender=model, module=modules[pk], active=active, previous=previous
        )


def _emit_overrides(
    model: type[TrackedModel],
    changes: Sequence[Toggle],
    using: str,
    known: Mapping[Any, Any],
) -> None:
    # Every concrete tracked model has org and module keys; the abstract base declares neither.
    options: Options[Any] = model._meta
    org_model: Any = options.get_field("org").related_model
    module_model: Any = options.get_field("module").related_model  # Module
    org_ids = {identity[0] for _, identity, *_ in changes}
    module_ids = {identity[1] for _, identity, *_ in changes}
    # Only relations already loaded on the instances are reused: never a query per row.
    org_field, module_field = options.get_field("org"), options.get_field("module")
    assert isinstance(org_field, models.ForeignKey)
    assert isinstance(module_field, models.ForeignKey)
    orgs = {s.org_id: s.org for s in known.values() if org_field.is_cached(s)}
    modules = {s.module_id: s.module for s in known.values() if module_field.is_cached(s)}
    if org_ids - orgs.keys():
        orgs.update(org_model._base_manager.using(using).in_bulk(list(org_ids - orgs.keys())))
    if module_ids - modules.keys():
        fetched = module_model.all_objects.using(using).in_bulk(list(module_ids - modules.keys()))
        modules.update(fetched)
    for _pk, (org_id, module_id), enabled, previous in changes:
        signals.org_module_toggled.send(
            sender=model,
            org=orgs.get(org_id),
            module=modules[module_id],
            enabled=enabled,
            previous=previous,
        )


def on_hard_delete(
    sender: type[TrackedModel], instance: TrackedModel, using: str, **kwargs: Any
) -> None:
    """``post_delete`` receiver: a live row removed from the database is a toggle too."""
    before = {} if instance.deleted_at is not None else {instance.pk: instance.toggle_values()}
    emit(sender, before, {}, using, known={instance.pk: instance})


def _own_models() -> tuple[type[TrackedModel], ...]:
    return (
        apps.get_model("django_modules", "Module"),
        apps.get_model("django_modules", "OrgModuleState"),
    )


def on_cascaded_soft_delete(
    sender: type[models.Model],
    moment: datetime,
    counts: Mapping[str, int],
    using: str,
    **kwargs: Any,
) -> None:
    """A soft delete that started elsewhere (an organization) reached overrides."""
    if sender in _own_models():
        return  # the package's own querysets tracked it already
    for model in _own_models():
        if counts.get(model._meta.label):
            rows = model.all_objects.using(using).filter(deleted_at=moment)
            before = {row[0]: row[1:] for row in rows.values_list("pk", *model.TOGGLE_FIELDS)}
            emit(model, before, {}, using)


def on_cascaded_restore(
    sender: type[models.Model],
    keys: Mapping[str, Sequence[Any]],
    using: str,
    **kwargs: Any,
) -> None:
    """A restore that started elsewhere (an organization) brought overrides back: django-basemodels
    names them (``keys``, per model label), so each is announced."""
    if sender in _own_models():
        return  # the package's own querysets tracked it already
    for model in _own_models():
        restored = keys.get(model._meta.label)
        if restored:
            emit(model, {}, snapshot(model, restored, using), using)
