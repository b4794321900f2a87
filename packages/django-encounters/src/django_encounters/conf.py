"""Settings of django-encounters, read at call time so that ``override_settings`` works."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # URL of the Mermaid script the admin loads to draw definition diagrams; None shows the
    # Mermaid text only (no request leaves the admin page).
    "ENCOUNTERS_MERMAID_JS_URL": None,
    # How far in the future an effective_at may lie, for clocks that disagree a little; a later
    # moment is refused, since it would hold every later move until then.
    "ENCOUNTERS_CLOCK_SKEW_TOLERANCE": timedelta(minutes=5),
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
