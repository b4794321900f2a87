"""Definition-driven state machines for any subject, safe under concurrent use.

Everything is re-exported lazily so that importing the package never touches the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_encounters.exceptions import (
        DefinitionInUseError as DefinitionInUseError,
    )
    from django_encounters.exceptions import (
        DefinitionNotFoundError as DefinitionNotFoundError,
    )
    from django_encounters.exceptions import (
        EncounterError as EncounterError,
    )
    from django_encounters.exceptions import (
        EncounterNotFoundError as EncounterNotFoundError,
    )
    from django_encounters.exceptions import (
        ImmutableHistoryError as ImmutableHistoryError,
    )
    from django_encounters.exceptions import (
        InvalidDefinitionError as InvalidDefinitionError,
    )
    from django_encounters.exceptions import (
        InvalidTransitionError as InvalidTransitionError,
    )
    from django_encounters.exceptions import (
        StateChangeError as StateChangeError,
    )
    from django_encounters.exceptions import (
        TransitionBlockedError as TransitionBlockedError,
    )
    from django_encounters.exceptions import (
        ValidationError as ValidationError,
    )
    from django_encounters.exceptions import (
        ValidatorConfigurationError as ValidatorConfigurationError,
    )
    from django_encounters.history import (
        get_encounter_history as get_encounter_history,
    )
    from django_encounters.history import (
        iter_encounter_history as iter_encounter_history,
    )
    from django_encounters.models import (
        Encounter as Encounter,
    )
    from django_encounters.models import (
        EncounterDefinition as EncounterDefinition,
    )
    from django_encounters.models import (
        EncounterTransition as EncounterTransition,
    )
    from django_encounters.services import (
        create_encounter as create_encounter,
    )
    from django_encounters.services import (
        get_allowed_transitions as get_allowed_transitions,
    )
    from django_encounters.services import (
        get_state_at as get_state_at,
    )
    from django_encounters.services import (
        run_validators as run_validators,
    )
    from django_encounters.services import (
        transition as transition,
    )
    from django_encounters.signals import (
        encounter_created as encounter_created,
    )
    from django_encounters.signals import (
        encounter_transitioned as encounter_transitioned,
    )
    from django_encounters.validators import (
        FinalStateValidator as FinalStateValidator,
    )
    from django_encounters.validators import (
        NoBackwardsTransitionValidator as NoBackwardsTransitionValidator,
    )
    from django_encounters.validators import (
        RequiredFieldsValidator as RequiredFieldsValidator,
    )
    from django_encounters.validators import (
        StateValidator as StateValidator,
    )
    from django_encounters.validators import (
        get_validator_instance as get_validator_instance,
    )

_MODELS = "django_encounters.models"
_VALIDATORS = "django_encounters.validators"
_SERVICES = "django_encounters.services"
_HISTORY = "django_encounters.history"
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
    "get_encounter_history": _HISTORY,
    "iter_encounter_history": _HISTORY,
    "get_state_at": _SERVICES,
    "run_validators": _SERVICES,
    # Exceptions
    "EncounterError": _EXCEPTIONS,
    "InvalidTransitionError": _EXCEPTIONS,
    "TransitionBlockedError": _EXCEPTIONS,
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
    "TransitionBlockedError",
    "ValidationError",
    "ValidatorConfigurationError",
    "create_encounter",
    "encounter_created",
    "encounter_transitioned",
    "get_allowed_transitions",
    "get_encounter_history",
    "get_state_at",
    "get_validator_instance",
    "iter_encounter_history",
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
        TransitionBlockedError,
        ValidationError,
        ValidatorConfigurationError,
    )
    from django_encounters.history import get_encounter_history, iter_encounter_history
    from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition
    from django_encounters.services import (
        create_encounter,
        get_allowed_transitions,
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
