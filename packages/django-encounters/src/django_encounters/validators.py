"""Pluggable transition validators.

A validator blocks a transition by raising ``TransitionBlockedError`` (a hard block). It may instead
return warnings (a string or a list of strings): the transition goes ahead, and the warnings are
recorded in the transition's metadata and returned to the caller (``record.warnings``).

Definitions name validators by dotted path, either as a string or as
``{"path": "...", "params": {...}}``. Only ``StateValidator`` subclasses are ever instantiated, so a
definition edited in the admin cannot make the package call an arbitrary function.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from django_encounters.exceptions import TransitionBlockedError, ValidatorConfigurationError

Context = dict[str, Any] | None  # what transition() passes to validators as ``context``


class StateValidator(ABC):
    """Base class for transition validators; subclass and implement ``validate()``."""

    @abstractmethod
    def validate(
        self, encounter: Any, from_state: str, to_state: str, context: Context = None
    ) -> str | Iterable[str] | None:
        """Raise ``TransitionBlockedError`` to block; return warnings (or nothing) to allow."""


class RequiredFieldsValidator(StateValidator):
    """Requires fields to be set before entering certain states.

    ``state_requirements`` maps a state to the fields it needs, e.g.
    ``{"completed": ["ended_at"], "in_progress": ["started_at"]}``.
    """

    def __init__(self, state_requirements: dict[str, list[str]]) -> None:
        self.state_requirements = state_requirements

    def validate(
        self, encounter: Any, from_state: str, to_state: str, context: Context = None
    ) -> None:
        for field in self.state_requirements.get(to_state, []):
            if getattr(encounter, field, None) is None:
                raise TransitionBlockedError(
                    type(self).__name__, f"Field '{field}' is required for state '{to_state}'"
                )


class NoBackwardsTransitionValidator(StateValidator):
    """Blocks moves to an earlier state of ``state_order``; states not in the list are allowed."""

    def __init__(self, state_order: list[str]) -> None:
        self.state_order = state_order

    def validate(
        self, encounter: Any, from_state: str, to_state: str, context: Context = None
    ) -> None:
        if from_state not in self.state_order or to_state not in self.state_order:
            return
        if self.state_order.index(to_state) < self.state_order.index(from_state):
            raise TransitionBlockedError(
                type(self).__name__,
                f"Cannot transition backwards from '{from_state}' to '{to_state}'",
            )


class FinalStateValidator(StateValidator):
    """Blocks transitions out of final states."""

    def validate(
        self, encounter: Any, from_state: str, to_state: str, context: Context = None
    ) -> None:
        if encounter.definition.is_final_state(from_state):
            raise TransitionBlockedError(
                type(self).__name__, f"Cannot transition from final state '{from_state}'"
            )


def get_validator_instance(
    validator_path: str, config: dict[str, Any] | None = None
) -> StateValidator:
    """Import the ``StateValidator`` subclass at ``validator_path`` and instantiate it.

    Every failure (bad path, not a validator, wrong params) raises ``ValidatorConfigurationError``
    naming the path.
    """
    if not isinstance(validator_path, str) or "." not in validator_path:
        raise ValidatorConfigurationError(
            validator_path, "expected a dotted path such as 'myapp.validators.MyValidator'"
        )
    if config is not None and not isinstance(config, dict):
        raise ValidatorConfigurationError(validator_path, f"params must be a dict, got {config!r}")
    module_path, class_name = validator_path.rsplit(".", 1)
    try:
        module = importlib.import_module(module_path)
    except ImportError as error:
        raise ValidatorConfigurationError(
            validator_path, f"module {module_path!r} cannot be imported ({error})"
        ) from error
    validator_class = getattr(module, class_name, None)
    if not (isinstance(validator_class, type) and issubclass(validator_class, StateValidator)):
        raise ValidatorConfigurationError(
            validator_path, f"expected a StateValidator subclass, found {validator_class!r}"
        )
    try:
        return validator_class(**(config or {}))
    except TypeError as error:
        raise ValidatorConfigurationError(
            validator_path, f"params {config!r} do not fit {class_name}() ({error})"
        ) from error


def parse_entry(entry: Any) -> tuple[Any, dict[str, Any] | None]:
    """``(path, params)`` of one entry of ``EncounterDefinition.validators``."""
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, dict) and set(entry) <= {"path", "params"} and "path" in entry:
        return entry["path"], entry.get("params")
    raise ValidatorConfigurationError(
        entry, "expected a dotted path or a dict {'path': ..., 'params': {...}}"
    )


def load_validators(entries: Any) -> list[tuple[str, StateValidator]]:
    """Instantiate every validator of a definition, in order, as ``(path, validator)`` pairs."""
    if not isinstance(entries, list):
        raise ValidatorConfigurationError(entries, "validators must be a list")
    loaded = []
    for entry in entries:
        path, params = parse_entry(entry)
        loaded.append((path, get_validator_instance(path, params)))
    return loaded


def as_warnings(returned: Any, path: str) -> list[str]:
    """Normalise what ``validate()`` returned into a list of warning strings."""
    if returned is None:
        return []
    if isinstance(returned, str):
        return [returned]
    if isinstance(returned, Iterable):
        warnings = list(returned)
        if all(isinstance(warning, str) for warning in warnings):
            return warnings
    raise ValidatorConfigurationError(
        path, f"validate() returned {returned!r}; expected None, a string or a list of strings"
    )
