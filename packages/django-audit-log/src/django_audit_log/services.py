"""The operations users call: ``log`` and ``log_event`` (``prune``: retention.py)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, router
from django.utils import timezone

from django_audit_log import arguments, request_info
from django_audit_log.context import current_context, user_of
from django_audit_log.exceptions import (
    InvalidActionError,
    InvalidActorError,
    InvalidSensitivityError,
    InvalidTargetError,
)
from django_audit_log.models import AuditLog, Sensitivity
from django_audit_log.stamps import stamp_of
from django_audit_log.values import clean_changes, clean_metadata
from django_basemodels.ids import uuid7

_ACTION_MAX = cast("models.CharField[str, str]", AuditLog._meta.get_field("action")).max_length or 0
_DISPLAY_MAX = 255
_SENSITIVITIES = frozenset(Sensitivity.values)
PRUNE_ACTION = "audit_log.pruned"
# Installed on PostgreSQL by migration 0005 (a function) and on MariaDB by 0007 (a procedure):
# deletes entries older than its argument.

# While set, entries are collected here and written with one INSERT when the batch ends.
_batch: ContextVar[list[AuditLog] | None] = ContextVar("django_audit_log_batch", default=None)


def log(
    action: str,
    obj: models.Model | None = None,
    actor: Any = None,
    request: Any = None,
    changes: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    sensitivity: str = "normal",
    *,
    is_system: bool | None = None,
    using: str | None = None,
) -> AuditLog:
    """Write one audit entry with exactly one INSERT and return it.

    ``actor`` and the request details default to the current context (the middleware or an
    ``audit_context`` block). ``actor`` may be a user or a string naming a non-user actor.
    """
    using = arguments.database(using)
    entry = build_entry(
        action,
        obj,
        actor=actor,
        request=request,
        changes=changes,
        metadata=metadata,
        sensitivity=sensitivity,
        is_system=is_system,
    )
    entry.save(using=using or router.db_for_write(AuditLog))
    return entry


def log_event(
    action: str,
    actor: Any = None,
    metadata: Mapping[str, Any] | None = None,
    *,
    request: Any = None,
    sensitivity: str = "normal",
    is_system: bool | None = None,
    using: str | None = None,
) -> AuditLog:
    """Write an entry about something that has no target object (a login, an export...)."""
    return log(
        action,
        actor=actor,
        request=request,
        metadata=metadata,
        sensitivity=sensitivity,
        is_system=is_system,
        using=using,
    )


def build_entry(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    request: Any = None,
    changes: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    sensitivity: str = "normal",
    is_system: bool | None = None,
) -> AuditLog:
    """An unsaved entry, validated and filled from the context; no query except a cold
    ContentType cache."""
    row, user = entry_row(
        action,
        obj,
        actor=actor,
        request=request,
        changes=changes,
        metadata=metadata,
        sensitivity=sensitivity,
        is_system=is_system,
    )
    # Positional construction: Django's fast path (no keyword matching, no default callables).
    values: Any = [row[attname] for attname in _attnames()]
    entry = AuditLog(*values)
    entry.__dict__["_audit_built"] = True  # checked and stamped: AuditLog.save() trusts it
    if user is not None:
        AuditLog.actor.field.set_cached_value(entry, user)
    return entry


def entry_row(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    request: Any = None,
    changes: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    sensitivity: str = "normal",
    is_system: bool | None = None,
) -> tuple[dict[str, Any], Any]:
    """The validated column values of an entry, by attname (``changes`` and ``metadata``
    JSON-native and redacted), and the actor when it is a user instance."""
    if not isinstance(action, str) or not action or len(action) > _ACTION_MAX:
        raise InvalidActionError(action, _ACTION_MAX)
    if not isinstance(sensitivity, str) or sensitivity not in _SENSITIVITIES:
        raise InvalidSensitivityError(sensitivity, list(Sensitivity.values))
    changes = arguments.mapping("changes", changes)
    metadata = arguments.mapping("metadata", metadata)
    is_system = arguments.flag("is_system", is_system)
    request = arguments.request(request)
    context = current_context()
    entry_id, created_at = uuid7(), timezone.now()
    row: dict[str, Any] = {
        "id": entry_id,
        "created_at": created_at,
        "action": action,
        "actor_id": None,
        "actor_display": "",
        "target_content_type_id": None,
        "target_id": "",
        "target_repr": "",
        "ip_address": None,
        "user_agent": "",
        "request_id": "",
        "sensitivity": sensitivity,
        "stamp": stamp_of(entry_id, created_at),
    }
    extra: Mapping[str, Any] = {}
    if request is not None:
        meta = request.META
        row["ip_address"] = request_info.client_ip(meta)
        row["user_agent"] = request_info.user_agent_of(meta)
        row["request_id"] = getattr(request, "audit_request_id", "") or ""
        if actor is None:
            actor = user_of(request)
    elif context is not None:
        row["ip_address"] = context.ip_address or None  # "" is no address, as in the column
        row["user_agent"] = context.user_agent
        row["request_id"] = context.request_id
        if actor is None:
            actor = context.resolve_actor()
    if context is not None:
        extra = context.extra
        if is_system is None:
            is_system = context.is_system
    user = _actor_into(row, actor)
    if obj is not None:
        if not isinstance(obj, models.Model) or obj.pk is None or obj._state.adding:
            raise InvalidTargetError(obj)
        row.update(target_columns(type(obj), obj.pk, obj))
    row["changes"] = clean_changes(changes)
    row["metadata"] = clean_metadata({**extra, **(metadata or {})})
    if is_system is None:  # nobody to attribute it to and no request: the system did it
        is_system = (
            actor is None and request is None and (context is None or context.request is None)
        )
    row["is_system"] = is_system
    return row, user


@functools.cache
def _attnames() -> tuple[str, ...]:
    return tuple(field.attname for field in AuditLog._meta.concrete_fields)


def _actor_into(row: dict[str, Any], actor: Any) -> Any:
    """Fill the actor columns; returns the user instance, if the actor is one."""
    if actor is None:
        return None
    if isinstance(actor, str):
        row["actor_display"] = actor[:_DISPLAY_MAX]
        return None
    user_model = get_user_model()
    if not isinstance(actor, user_model) or actor.pk is None:
        raise InvalidActorError(actor, user_model._meta.label)
    row["actor_id"] = actor.pk
    row["actor_display"] = str(actor.get_username())[:_DISPLAY_MAX]
    return actor


def target_columns(model: type[models.Model], pk: Any, description: Any) -> dict[str, Any]:
    """The target columns of an entry about row ``pk`` of ``model`` (a proxy model counts as
    itself), described by ``str(description)``."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return {
        "target_content_type_id": content_type.pk,
        "target_id": str(pk),
        "target_repr": str(description)[:_DISPLAY_MAX],
    }


@contextmanager
def batched_entries(using: str) -> Iterator[None]:
    """Collect the entries written inside the block and INSERT them together at its end.

    Used around ORM operations that report row by row (a delete's ``post_delete`` per row) so
    that the audit costs one INSERT per batch. The caller holds the transaction.
    """
    outer = _batch.get()
    if outer is not None:  # already batching: the outermost block writes
        yield
        return
    pending: list[AuditLog] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    write_entries(pending, using)


def batching() -> bool:
    """Whether a ``batched_entries`` block is collecting the entries written now."""
    return _batch.get() is not None


def write_entries(entries: list[AuditLog], using: str) -> None:
    """Write entries now (one INSERT) or add them to the batch being collected."""
    if not entries:
        return
    pending = _batch.get()
    if pending is not None:
        pending.extend(entries)
    elif len(entries) == 1:
        entries[0].save(using=using)
    else:
        AuditLog.objects.using(using).bulk_create(entries)
