"""Checks of the values callers hand to ``log()``, ``log_event()`` and ``audit_context()``.

Bad input is refused at the door, with the package's error naming the value, instead of being
accepted and breaking every write inside a block (an IP the ``inet`` column refuses, a request
id longer than its column) or surfacing as a ``TypeError`` from deep inside.
"""

from __future__ import annotations

import datetime
import ipaddress
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import connections
from django.utils import timezone

from django_audit_log.exceptions import InvalidActorError, InvalidArgumentError
from django_audit_log.request_info import USER_AGENT_MAX

REQUEST_ID_MAX = 128


def ip_address(value: Any) -> str | None:
    """A valid IP address in its normal form, or ``None`` for none (``None`` or ``""``)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            pass
    raise InvalidArgumentError("ip_address", value, "an IPv4 or IPv6 address such as '10.0.0.1'")


def request_id(value: Any) -> str:
    if isinstance(value, str) and len(value) <= REQUEST_ID_MAX:
        return value
    raise InvalidArgumentError(
        "request_id", value, f"a string of at most {REQUEST_ID_MAX} characters"
    )


def user_agent(value: Any) -> str:
    """A string, cut to the column's length as the middleware cuts the header."""
    if isinstance(value, str):
        return value[:USER_AGENT_MAX]
    raise InvalidArgumentError("user_agent", value, "a string")


def flag(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidArgumentError(name, value, "True, False or None")


def mapping(name: str, value: Any) -> Mapping[str, Any] | None:
    if value is None or isinstance(value, Mapping):
        return value
    raise InvalidArgumentError(name, value, "a mapping (dict) or None")


def database(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in connections.settings):
        return value
    raise InvalidArgumentError(
        "using", value, f"None or a database alias among {sorted(connections.settings)}"
    )


def request(value: Any) -> Any:
    if value is None or isinstance(getattr(value, "META", None), Mapping):
        return value
    raise InvalidArgumentError("request", value, "an HttpRequest (with META) or None")


def actor(value: Any) -> Any:
    """``None``, a string naming a non-user actor, or a saved user."""
    if value is None or isinstance(value, str):
        return value
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if isinstance(value, user_model) and value.pk is not None:
        return value
    raise InvalidActorError(value, user_model._meta.label)


_LENGTHS = {"actor_display": 255, "target_id": 255, "target_repr": 255, "user_agent": 512}


def check_entry(entry: Any) -> None:
    """An ``AuditLog`` about to be written by hand (``AuditLog.objects.create()``,
    ``bulk_create()``): what the columns or the constraints would refuse, refused first with
    the package's error, on every database (SQLite checks no lengths)."""
    from django.conf import settings

    from django_audit_log.exceptions import InvalidActionError, InvalidSensitivityError

    if not isinstance(entry.action, str) or not entry.action or len(entry.action) > 100:
        raise InvalidActionError(entry.action, 100)
    if entry.sensitivity not in ("normal", "high", "critical"):
        raise InvalidSensitivityError(entry.sensitivity, ["normal", "high", "critical"])
    moment = entry.created_at
    if not isinstance(moment, datetime.datetime) or (settings.USE_TZ and timezone.is_naive(moment)):
        raise InvalidArgumentError(
            "created_at", moment, "a timezone-aware datetime (django.utils.timezone.now())"
        )
    entry.ip_address = ip_address(entry.ip_address)
    request_id(entry.request_id)
    for name in ("changes", "metadata"):
        if not isinstance(getattr(entry, name), dict):
            raise InvalidArgumentError(name, getattr(entry, name), "a dict")
    for name, limit in _LENGTHS.items():
        value = getattr(entry, name)
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidArgumentError(name, value, f"a string of at most {limit} characters")
    if not isinstance(entry.is_system, bool):
        raise InvalidArgumentError("is_system", entry.is_system, "True or False")
    if not isinstance(entry.id, uuid.UUID):
        try:
            entry.id = uuid.UUID(str(entry.id))
        except ValueError:
            raise InvalidArgumentError("id", entry.id, "a UUID") from None
