"""Definition-driven state machines for any subject, safe under concurrent use.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_MODELS = "django_encounters.models"
_VALIDATORS = "django_encounters.validators"
_SERVICES = "django_encounters.services"
_EXCEPTIONS = "django_encounters.exceptions"
_SIGNALS = "django_encounters.signals"

_LAZY = {
    # Models
    "EncounterDefinition": _MODELS,
    "Encounter": _MODELS,
    "EncounterTransition": _MODELS,
    # Validators
    "StateValidator": _VALIDATORS,
    "RequiredFieldsValidator": _VALIDATORS,
    "NoBackwardsTransitionValidator": _VALIDATORS,
    "FinalStateValidator": _VALIDATORS,
    "get_validator_instance": _VALIDATORS,
    # Services
    "create_encounter": _SERVICES,
    "transition": _SERVICES,
    "get_allowed_transitions": _SERVICES,
    "get_encounter_history": _SERVICES,
    "get_state_at": _SERVICES,
    "run_validators": _SERVICES,
    # Exceptions
    "EncounterError": _EXCEPTIONS,
    "InvalidTransitionError": _EXCEPTIONS,
    "ValidationError": _EXCEPTIONS,
    "EncounterNotFoundError": _EXCEPTIONS,
    "DefinitionNotFoundError": _EXCEPTIONS,
    "InvalidDefinitionError": _EXCEPTIONS,
    "DefinitionInUseError": _EXCEPTIONS,
    "ValidatorConfigurationError": _EXCEPTIONS,
    "ImmutableHistoryError": _EXCEPTIONS,
    "StateChangeError": _EXCEPTIONS,
    "InvalidArgumentError": _EXCEPTIONS,
    "AliasConflictError": _EXCEPTIONS,
    "DuplicateDefinitionError": _EXCEPTIONS,
    # Signals
    "encounter_created": _SIGNALS,
    "encounter_transitioned": _SIGNALS,
}

# Spelled out (not sorted(_LAZY)) so that linters and type checkers read it.
__all__ = [
    "AliasConflictError",
    "DefinitionInUseError",
    "DefinitionNotFoundError",
    "DuplicateDefinitionError",
    "Encounter",
    "EncounterDefinition",
    "EncounterError",
    "EncounterNotFoundError",
    "EncounterTransition",
    "FinalStateValidator",
    "ImmutableHistoryError",
    "InvalidArgumentError",
    "InvalidDefinitionError",
    "InvalidTransitionError",
    "NoBackwardsTransitionValidator",
    "RequiredFieldsValidator",
    "StateChangeError",
    "StateValidator",
    "ValidationError",
    "ValidatorConfigurationError",
    "create_encounter",
    "encounter_created",
    "encounter_transitioned",
    "get_allowed_transitions",
    "get_encounter_history",
    "get_state_at",
    "get_validator_instance",
    "run_validators",
    "transition",
]

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports on first use
    from django_encounters.exceptions import (
        AliasConflictError,
        DefinitionInUseError,
        DefinitionNotFoundError,
        DuplicateDefinitionError,
        EncounterError,
        EncounterNotFoundError,
        ImmutableHistoryError,
        InvalidArgumentError,
        InvalidDefinitionError,
        InvalidTransitionError,
        StateChangeError,
        ValidationError,
        ValidatorConfigurationError,
    )
    from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition
    from django_encounters.services import (
        create_encounter,
        get_allowed_transitions,
        get_encounter_history,
        get_state_at,
        run_validators,
        transition,
    )
    from django_encounters.signals import encounter_created, encounter_transitioned
    from django_encounters.validators import (
        FinalStateValidator,
        NoBackwardsTransitionValidator,
        RequiredFieldsValidator,
        StateValidator,
        get_validator_instance,
    )


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_LAZY[name]), name)
