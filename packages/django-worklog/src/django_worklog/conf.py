"""Settings of django-worklog, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Age (hours) past which `manage.py stop_stale_sessions` stops a running session by default.
    "WORKLOG_STALE_AFTER_HOURS": 12,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
