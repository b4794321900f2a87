"""System checks of django-parties (ids ``parties.E001`` ...)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from django_parties import conf


@register()
def check_extra_relationship_types(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``PARTIES_EXTRA_RELATIONSHIP_TYPES`` must map short strings to labels."""
    value = conf.get("PARTIES_EXTRA_RELATIONSHIP_TYPES")
    hint = 'A dict of value -> label, e.g. {"vet": "Veterinarian"}; values at most 50 characters.'
    if not isinstance(value, dict):
        return [
            Error(
                f"PARTIES_EXTRA_RELATIONSHIP_TYPES is a {type(value).__name__}; expected a dict.",
                hint=hint,
                id="parties.E001",
            )
        ]
    bad = [key for key in value if not isinstance(key, str) or not key or len(key) > 50]
    if bad:
        return [
            Error(
                f"PARTIES_EXTRA_RELATIONSHIP_TYPES has invalid values {bad!r}; expected non-empty "
                "strings of at most 50 characters.",
                hint=hint,
                id="parties.E001",
            )
        ]
    return []
