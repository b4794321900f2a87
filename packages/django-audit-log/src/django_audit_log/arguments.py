"""Checks of the values callers hand to ``log()``, ``log_event()`` and ``audit_context()``.

Bad input is refused at the door, with the package's error naming the value, instead of being
accepted and breaking every write inside a block (an IP the ``inet`` column refuses, a request
id longer than its column) or surfacing as a ``TypeError`` from deep inside.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.db import connections

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
