"""Settings of django-audit-log, read at call time so that ``override_settings`` works."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # IPs or networks (CIDR) of the reverse proxies whose X-Forwarded-For is believed. Empty:
    # the client IP is always REMOTE_ADDR and X-Forwarded-For is ignored.
    "AUDIT_LOG_TRUSTED_PROXIES": [],
    # Header carrying the request id, read from the request and echoed on the response.
    "AUDIT_LOG_REQUEST_ID_HEADER": "X-Request-ID",
    # Field names and metadata keys whose values are masked; a key matches when it contains one
    # of these, case-insensitively ("reset_token" matches "token").
    "AUDIT_LOG_REDACT_KEYS": [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "authorization",
        "cookie",
        "credit_card",
        "card_number",
        "cvv",
        "ssn",
    ],
    "AUDIT_LOG_REDACT_MASK": "[redacted]",
    # The admin counts at most this many rows (COUNT over a LIMIT subquery), never the table.
    "AUDIT_LOG_ADMIN_COUNT_LIMIT": 10_000,
    # Free text in the admin's search box is matched among this many newest entries (no index
    # serves a substring search; ids are matched exactly, through indexes, in every entry).
    "AUDIT_LOG_ADMIN_SEARCH_WINDOW": 10_000,
    # Actions the admin's action filter offers besides the package's own (create, update,
    # delete, restore, audit_log.pruned) and those wired with connect_signal(): the names the
    # host passes to log() / log_event().
    "AUDIT_LOG_ADMIN_ACTIONS": [],
    # The secret that stamps every entry and seals them (see sealing.py). Never stored in the
    # database: someone who can only write to the database cannot forge a stamp or a seal.
    # None: entries are not stamped and seal_audit_log / verify_audit_log refuse to run.
    "AUDIT_LOG_SEAL_KEY": None,
    # Keys used before AUDIT_LOG_SEAL_KEY, still accepted when verifying (rotation).
    "AUDIT_LOG_SEAL_OLD_KEYS": [],
    # How far before the newest sealed entry the sealer looks for entries committed late.
    "AUDIT_LOG_SEAL_LOOKBACK": datetime.timedelta(hours=1),
}


# Values read since the last setting change. Every tracked save reads the redaction settings,
# and reading a setting that is absent (the usual case) costs Django a raised AttributeError.
_read: dict[str, Any] = {}


def get(name: str) -> Any:
    try:
        return _read[name]
    except KeyError:
        value = _read[name] = getattr(settings, name, DEFAULTS[name])
        return value


def _forget(*, setting: str, **kwargs: Any) -> None:
    """``override_settings`` (and pytest-django's ``settings``) announce every change."""
    if setting in DEFAULTS:
        _read.clear()


setting_changed.connect(_forget, dispatch_uid="django_audit_log:settings")
