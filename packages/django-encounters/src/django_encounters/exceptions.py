"""Errors of django-encounters: every one derives from ``EncounterError``.

``InvalidTransitionError`` and ``EncounterNotFoundError`` keep the names and messages of the
specification; the others cover definitions, validator configuration and the append-only history.
A validator's hard block is ``TransitionBlockedError`` (the specification's message), also
importable as ``ValidationError``, the specification's name for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError


class EncounterError(Exception):
    """Base exception for encounter errors."""


class InvalidTransitionError(EncounterError):
    """Raised when a state transition is not allowed."""

    def __init__(self, from_state: str, to_state: str, reason: str = "") -> None:
        self.from_state = from_state
        self.to_state = to_state
        self.reason = reason
        message = f"Cannot transition from '{from_state}' to '{to_state}'"
        if reason:
            message += f": {reason}"
        super().__init__(message)


class TransitionBlockedError(EncounterError):
    """Raised when a transition fails validation (a validator's hard block)."""

    def __init__(self, validator: str, message: str) -> None:
        self.validator = validator
        self.detail = message
        super().__init__(f"Validation failed ({validator}): {message}")


# The specification's name, kept so that its validators and examples run unchanged. It is the
# same class (``except ValidationError`` catches what ``TransitionBlockedError`` names), under a
# name of its own so that it is never mistaken for django.core.exceptions.ValidationError.
ValidationError = TransitionBlockedError


class EncounterNotFoundError(EncounterError):
    """Raised when an encounter is not found (or is soft-deleted)."""

    def __init__(self, encounter_id: Any) -> None:
        self.encounter_id = encounter_id
        super().__init__(f"Encounter {encounter_id} not found")


class DefinitionNotFoundError(EncounterNotFoundError):
    """No live ``EncounterDefinition`` has the given code."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.encounter_id = None
        EncounterError.__init__(
            self, f"Encounter definition with code {code!r} not found; expected an existing code"
        )


class InvalidDefinitionError(EncounterError):
    """A definition's state graph or validator list is wrong; ``problems`` lists every fault."""

    def __init__(self, definition: Any, problems: Sequence[str]) -> None:
        self.definition = definition
        self.problems = list(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        if definition is None:  # refused on a queryset path, before any one row is involved
            super().__init__(f"Encounter definitions cannot be changed this way:\n{lines}")
            return
        label = getattr(definition, "code", "") or getattr(definition, "name", "") or "(unnamed)"
        super().__init__(f"Encounter definition {label!r} is invalid:\n{lines}")


class DefinitionInUseError(EncounterError):
    """An edit would remove states that live encounters are still in."""

    def __init__(self, definition: Any, counts: Mapping[str, int]) -> None:
        self.definition = definition
        self.counts = dict(counts)
        details = "; ".join(
            f"{count} live encounter(s) are in state {state!r}"
            for state, count in sorted(self.counts.items())
        )
        super().__init__(
            f"Cannot remove state(s) from definition {definition.code!r}: {details}. "
            "Move those encounters to another state first."
        )


class ValidatorConfigurationError(EncounterError):
    """A validator entry cannot be imported or instantiated; ``path`` names it."""

    def __init__(self, path: Any, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"Validator {path!r} is misconfigured: {problem}")


class ImmutableHistoryError(EncounterError):
    """Transitions are append-only: they cannot be changed or deleted, nor their encounter."""

    def __init__(self, message: str, obj: Any = None) -> None:
        self.obj = obj
        super().__init__(message)


class InvalidArgumentError(EncounterError, ValueError):
    """A value given to the package is of the wrong kind; ``name`` and ``value`` say which."""

    def __init__(self, name: str, value: Any, expected: str, message: str = "") -> None:
        self.name = name
        self.value = value
        self.expected = expected
        shown = repr(value)
        if isinstance(value, str) and len(value) > 60:  # a long string is quoted, not printed
            shown = f"{value[:40]!r}... ({len(value)} characters)"
        super().__init__(message or f"{name}={shown} is not valid; expected {expected}")


class AliasConflictError(EncounterError, TypeError):
    """Both spellings of one argument were given (``key`` and ``code``, ``by_user`` and
    ``transitioned_by``...)."""

    def __init__(self, where: str, alias: str, canonical: str) -> None:
        self.alias = alias
        self.canonical = canonical
        super().__init__(
            f"{where} got both {canonical!r} and {alias!r}, two spellings of the same thing; "
            f"expected only one of them ({canonical!r} is the documented name)"
        )


class DuplicateDefinitionError(EncounterError, IntegrityError):
    """Another live definition already has this ``name`` or ``code``."""

    def __init__(self, field: str, value: Any) -> None:
        self.field = field
        self.value = value
        super().__init__(
            f"An encounter definition with {field}={value!r} already exists; "
            f"expected a {field} no live definition uses"
        )


class StateChangeError(EncounterError):
    """An encounter's state or definition was changed outside ``transition()``."""

    def __init__(self, encounter: Any, field: str) -> None:
        self.encounter = encounter
        self.field = field
        super().__init__(
            f"Encounter {encounter.pk}: {field!r} cannot be changed by save() or update(); "
            "expected a call to django_encounters.transition()"
        )
