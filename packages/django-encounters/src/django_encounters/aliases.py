"""The roadmap's spellings, accepted beside the specification's.

The package roadmap names some things differently from the specification: ``key`` for ``code``,
``terminal_states`` for ``final_states``, ``validator_paths`` for ``validators`` and ``by_user``
for ``transitioned_by``. Both documents' examples must run as written, so the roadmap's names are
accepted wherever a user types them (model keyword arguments, ``objects.create()``, filters,
``update()``, service keyword arguments). The specification's names stay the stored fields and
the documented spelling; giving both spellings of one thing raises ``AliasConflictError``.

The renaming lives here; ``models.query.AliasQuerySet`` applies it to filters.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from django_encounters.exceptions import AliasConflictError

DEFINITION_ALIASES = {
    "key": "code",
    "terminal_states": "final_states",
    "validator_paths": "validators",
}
TRANSITION_ALIASES = {"by_user": "transitioned_by"}


def canonical_kwargs(
    where: str, aliases: Mapping[str, str], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """``kwargs`` with every alias replaced by its canonical name (lookups such as ``key__in``
    included); both spellings of one name raise ``AliasConflictError``."""
    result: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for name, value in kwargs.items():
        canonical = canonical_lookup(aliases, name)
        if canonical in result:
            alias = renamed.get(canonical, name)
            raise AliasConflictError(where, alias, canonical)
        if canonical != name:
            renamed[canonical] = name
        result[canonical] = value
    return result


def canonical_lookup(aliases: Mapping[str, str], lookup: str) -> str:
    """``key__in`` -> ``code__in``; names that are not aliases come back unchanged."""
    head, separator, rest = lookup.partition("__")
    if head not in aliases:
        return lookup
    return aliases[head] + separator + rest


def canonical_q(aliases: Mapping[str, str], q: Any) -> Any:
    """A copy of a ``Q`` object with its lookups renamed; anything else comes back as it is."""
    if not isinstance(q, Q):
        return q
    clone = copy.copy(q)
    clone.children = [
        (canonical_lookup(aliases, child[0]), child[1])
        if isinstance(child, tuple)
        else canonical_q(aliases, child)
        for child in q.children
    ]
    return clone
