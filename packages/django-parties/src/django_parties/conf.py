"""Settings of django-parties, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The host's own relationship kinds, on top of the built-in ones: {"value": "Label", ...}.
    "PARTIES_EXTRA_RELATIONSHIP_TYPES": {},
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
