"""The party pattern: people, organizations, groups, their relationships and contact points.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_parties.exceptions import BulkWriteError as BulkWriteError
    from django_parties.exceptions import InvalidArgumentError as InvalidArgumentError
    from django_parties.exceptions import PartiesError as PartiesError
    from django_parties.models import (
        Address as Address,
    )
    from django_parties.models import (
        Email as Email,
    )
    from django_parties.models import (
        Group as Group,
    )
    from django_parties.models import (
        Organization as Organization,
    )
    from django_parties.models import (
        PartyRelationship as PartyRelationship,
    )
    from django_parties.models import (
        Person as Person,
    )
    from django_parties.models import (
        Phone as Phone,
    )
    from django_parties.models import (
        RelationshipType as RelationshipType,
    )
    from django_parties.services import (
        end_relationship as end_relationship,
    )
    from django_parties.services import (
        relate as relate,
    )
    from django_parties.services import (
        set_primary_contact as set_primary_contact,
    )

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
    "InvalidArgumentError": "django_parties.exceptions",
    "BulkWriteError": "django_parties.exceptions",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
