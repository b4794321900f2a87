"""The party pattern: people, organizations, groups, their relationships and contact points.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Address": "django_parties.models",
    "Email": "django_parties.models",
    "Group": "django_parties.models",
    "Organization": "django_parties.models",
    "PartyRelationship": "django_parties.models",
    "Person": "django_parties.models",
    "Phone": "django_parties.models",
    "RelationshipType": "django_parties.models",
    "end_relationship": "django_parties.services",
    "relate": "django_parties.services",
    "set_primary_contact": "django_parties.services",
    "PartiesError": "django_parties.exceptions",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
