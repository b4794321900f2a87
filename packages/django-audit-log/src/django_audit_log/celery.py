"""Carry the audit context from the code that enqueues a Celery task into the task.

The host enables it once, where its Celery app is defined::

    from django_audit_log.celery import carry_audit_context

    carry_audit_context()

``before_task_publish`` writes the current context (actor, request id, IP, user agent, whether
the system acts, the ``audit_context`` extras) into one message header; ``task_prerun`` makes it
the worker's current context and ``task_postrun`` leaves it, so an entry written by the task names
the actor and request id of the request that enqueued it. A task enqueued by a task passes it on.

Only JSON goes into the message: the actor travels as its primary key and username, and is read
from the database only when the task writes an entry (a task that writes none costs no query).
The extras are redacted before they leave, like entry metadata. The broker is trusted as much as
the database: whoever can publish messages can name any actor.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from celery import signals  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model

from django_audit_log.context import AuditContext, current_context, enter, leave
from django_audit_log.exceptions import AuditLogError
from django_audit_log.request_info import _SANE_REQUEST_ID, USER_AGENT_MAX
from django_audit_log.values import clean_metadata

HEADER = "django_audit_log_context"
_VERSION = 1
_NAME_MAX = 255
_DISPATCH_UID = "django_audit_log:celery"
logger = logging.getLogger(__name__)

# The tokens of the contexts entered for running tasks, by task id, until their postrun.
_tokens: dict[str, Any] = {}


class AuditContextHeaderError(AuditLogError, ValueError):
    """The audit context header of a task message is not one this module wrote."""

    def __init__(self, key: str, value: Any, expected: str) -> None:
        self.key = key
        self.value = value
        super().__init__(
            f"audit context header {key!r} = {value!r} is not valid; expected {expected}"
        )


@dataclass(frozen=True)
class TaskAuditContext(AuditContext):
    """The context a task runs in: the actor is looked up by key when first needed.

    ``audit_context()`` blocks inside the task derive from it and keep the lookup.
    """

    actor_pk: Any = None
    actor_name: str = ""

    def resolve_actor(self) -> Any:
        if self.actor is not None:
            return self.actor
        if self.actor_pk is None:
            return self.actor_name or None
        return self._user

    @functools.cached_property
    def _user(self) -> Any:
        # A user deleted since the task was enqueued is still named by the username it had.
        user_model = get_user_model()
        user = user_model._default_manager.filter(pk=self.actor_pk).first()
        return user if user is not None else self.actor_name


def carry_audit_context() -> None:
    """Connect the three Celery signals (idempotent). Call it where the Celery app is made."""
    signals.before_task_publish.connect(_on_publish, dispatch_uid=_DISPATCH_UID, weak=False)
    signals.task_prerun.connect(_on_prerun, dispatch_uid=_DISPATCH_UID, weak=False)
    signals.task_postrun.connect(_on_postrun, dispatch_uid=_DISPATCH_UID, weak=False)


def stop_carrying_audit_context() -> None:
    """Disconnect what ``carry_audit_context()`` connected."""
    signals.before_task_publish.disconnect(dispatch_uid=_DISPATCH_UID)
    signals.task_prerun.disconnect(dispatch_uid=_DISPATCH_UID)
    signals.task_postrun.disconnect(dispatch_uid=_DISPATCH_UID)


def encode(context: AuditContext) -> dict[str, Any]:
    """The header for ``context``: JSON only, extras redacted."""
    actor = context.resolve_actor()
    actor_pk: Any = None
    if isinstance(actor, str):
        actor_name = actor[:_NAME_MAX]
    elif actor is not None:
        actor_pk = str(actor.pk)
        actor_name = str(actor.get_username())[:_NAME_MAX]
    else:
        actor_name = ""
    is_system = context.is_system
    if is_system is None and context.request is not None:
        is_system = False  # a request enqueued it, as an entry written by the request says
    return {
        "v": _VERSION,
        "actor_pk": actor_pk,
        "actor_name": actor_name,
        "request_id": context.request_id,
        "ip_address": context.ip_address,
        "user_agent": context.user_agent,
        "is_system": is_system,
        "extra": clean_metadata(context.extra),
    }


def decode(header: Any) -> TaskAuditContext:
    """The context a header describes; ``AuditContextHeaderError`` names what is wrong."""
    if not isinstance(header, dict):
        raise AuditContextHeaderError(HEADER, header, "a mapping")
    if header.get("v") != _VERSION:
        raise AuditContextHeaderError("v", header.get("v"), f"version {_VERSION}")
    actor_pk = header.get("actor_pk")
    if actor_pk is not None:
        actor_pk = _text(header, "actor_pk", 255)
        try:
            actor_pk = get_user_model()._meta.pk.to_python(actor_pk)
        except Exception as exc:  # the field's ValidationError, whatever the key type
            raise AuditContextHeaderError("actor_pk", actor_pk, "a user primary key") from exc
    request_id = _text(header, "request_id", 128)
    if request_id and not _SANE_REQUEST_ID.fullmatch(request_id):
        raise AuditContextHeaderError("request_id", request_id, "a request id token")
    ip_address = header.get("ip_address")
    if ip_address is not None:
        try:
            ip_address = str(ipaddress.ip_address(_text(header, "ip_address", 45)))
        except ValueError as exc:
            raise AuditContextHeaderError("ip_address", ip_address, "an IP address") from exc
    is_system = header.get("is_system")
    if is_system is not None and not isinstance(is_system, bool):
        raise AuditContextHeaderError("is_system", is_system, "true, false or null")
    extra = header.get("extra", {})
    if not isinstance(extra, dict):
        raise AuditContextHeaderError("extra", extra, "a mapping")
    return TaskAuditContext(
        actor_pk=actor_pk,
        actor_name=_text(header, "actor_name", _NAME_MAX),
        request_id=request_id,
        ip_address=ip_address,
        user_agent=_text(header, "user_agent", USER_AGENT_MAX),
        is_system=is_system,
        extra=extra,
    )


def _text(header: dict[str, Any], key: str, max_length: int) -> str:
    value = header.get(key, "")
    if not isinstance(value, str) or len(value) > max_length:
        raise AuditContextHeaderError(key, value, f"a string of at most {max_length} characters")
    return value


def _on_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    context = current_context()
    if context is not None and headers is not None:
        headers[HEADER] = encode(context)


def _header_of(request: Any) -> Any:
    # A worker puts message headers on the request itself; ``apply()`` keeps them in .headers.
    header = getattr(request, HEADER, None)
    if header is None:
        header = (getattr(request, "headers", None) or {}).get(HEADER)
    return header


def _on_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    header = _header_of(getattr(task, "request", None))
    if header is None or task_id is None:
        return
    try:
        context = decode(header)
    except AuditContextHeaderError as exc:
        # Raising here would only be logged by Celery; say why the task runs without context.
        logger.error("task %s runs without audit context: %s", task_id, exc)
        return
    _tokens[task_id] = enter(context)


def _on_postrun(task_id: str | None = None, **_: Any) -> None:
    token = _tokens.pop(task_id, None) if task_id is not None else None
    if token is not None:
        leave(token)
