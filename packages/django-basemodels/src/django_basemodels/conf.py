"""Settings of django-basemodels, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS = {
    # 7: time-ordered UUIDv7 (RFC 9562), compact in B-tree indexes; 4: random UUIDv4.
    "BASEMODELS_UUID_VERSION": 7,
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
