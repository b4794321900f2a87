"""The operations users call: create, move and query encounters."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone

from django_encounters import arguments
from django_encounters.exceptions import (
    AliasConflictError,
    DefinitionNotFoundError,
    EncounterError,
    EncounterNotFoundError,
    InvalidTransitionError,
)
from django_encounters.graph import STATE_MAX_LENGTH, graph_problems

# Defined with the paging they share; importable from here as before.
from django_encounters.history import get_encounter_history as get_encounter_history
from django_encounters.history import iter_encounter_history as iter_encounter_history
from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition
from django_encounters.models.transition import WARNINGS_KEY, package_record
from django_encounters.moves import lock_for_move, write_move
from django_encounters.signals import encounter_transitioned
from django_encounters.validators import as_warnings, load_validators

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

_UNSET: Any = object()  # by_user not given (None is a valid user argument)


def create_encounter(
    definition: EncounterDefinition | str,
    subject: models.Model,
    created_by: AbstractBaseUser | None = None,
    assigned_to: AbstractBaseUser | None = None,
    scheduled_at: datetime | None = None,
    notes: str = "",
    metadata: dict[str, Any] | None = None,
    effective_at: datetime | None = None,
) -> Encounter:
    """Create an encounter in its definition's initial state (and record the creation).

    ``definition`` is an ``EncounterDefinition`` or its ``code``. ``effective_at`` backdates the
    creation record (when the encounter really began); it defaults to now, and may not lie in the
    future beyond ``ENCOUNTERS_CLOCK_SKEW_TOLERANCE``.
    """
    if isinstance(definition, str):
        found = EncounterDefinition.objects.filter(code=definition).first()
        if found is None:
            raise DefinitionNotFoundError(definition)
        definition = found
    arguments.saved_instance("definition", definition, EncounterDefinition)
    assert isinstance(definition, EncounterDefinition)  # checked just above; for type checkers
    arguments.saved_instance("subject", subject)
    arguments.optional_saved_instance("created_by", created_by, get_user_model())
    arguments.optional_saved_instance("assigned_to", assigned_to, get_user_model())
    arguments.aware_datetime("scheduled_at", scheduled_at)
    arguments.text("notes", notes)
    arguments.json_object("metadata", metadata)
    arguments.aware_datetime("effective_at", effective_at)
    encounter = Encounter(
        definition=definition,
        subject=subject,
        # Any: the host's user model, which type checkers see as the checker's settings say.
        created_by=cast(Any, created_by),
        assigned_to=cast(Any, assigned_to),
        scheduled_at=scheduled_at,
        notes=notes,
        metadata=metadata or {},
    )
    if effective_at is not None:
        encounter.state_since = effective_at
    encounter.save()
    return encounter


def transition(
    encounter: Encounter,
    to_state: str,
    transitioned_by: AbstractBaseUser | None = None,
    reason: str = "",
    context: dict[str, Any] | None = None,
    effective_at: datetime | None = None,
    skip_validation: bool = False,
    *,
    by_user: Any = _UNSET,
) -> EncounterTransition:
    """Move an encounter to ``to_state`` and return the new ``EncounterTransition``.

    The encounter row is locked and its state re-read inside the lock, so two concurrent callers
    can never both leave the same state. The move must be an edge of the definition's graph, and
    the graph is checked again here, so a definition row changed behind ``save()``'s back cannot
    lead an encounter out of a final state. Nothing is written when the transition is invalid or
    a validator blocks it. Validator warnings are stored in the record's metadata and exposed as
    ``record.warnings``. ``effective_at`` may backdate the transition, but not to before the
    moment the current state was entered, nor lie in the future beyond the clock-skew tolerance.
    ``by_user`` is the roadmap's name for ``transitioned_by``. The caller's ``encounter`` is
    updated in place.

    Without validators, two statements on PostgreSQL (the lock that also reads the definition,
    and the write of both rows; see ``django_encounters.moves``) plus BEGIN and COMMIT; three on
    SQLite, four on MariaDB.
    """
    if by_user is not _UNSET:
        if transitioned_by is not None:
            raise AliasConflictError("transition()", "by_user", "transitioned_by")
        transitioned_by = by_user
    arguments.saved_instance("encounter", encounter, Encounter)
    arguments.text("to_state", to_state, STATE_MAX_LENGTH)
    arguments.optional_saved_instance("transitioned_by", transitioned_by, get_user_model())
    arguments.text("reason", reason)
    arguments.aware_datetime("effective_at", effective_at)
    if effective_at is not None:
        arguments.not_in_future("effective_at", effective_at)
    arguments.flag("skip_validation", skip_validation)
    metadata = _json_metadata(context)
    using = router.db_for_write(Encounter, instance=encounter)
    with transaction.atomic(using=using):
        locked = lock_for_move(encounter.pk, using)
        if locked is None:
            raise EncounterNotFoundError(encounter.pk)
        definition = locked.definition
        from_state = locked.state
        _check_move(definition, from_state, to_state)
        now = timezone.now()
        # Without effective_at the move happens now, or at the moment the current state was
        # entered if a clock a little ahead put that later: a move is never refused for its time.
        moment = effective_at or max(now, locked.state_since or now)
        if locked.state_since and moment < locked.state_since:
            raise InvalidTransitionError(
                from_state,
                to_state,
                f"effective_at {moment.isoformat()} is before {locked.state_since.isoformat()}, "
                f"when the encounter entered '{from_state}'; expected a later moment",
            )
        warnings = [] if skip_validation else run_validators(locked, from_state, to_state, context)
        if warnings:
            metadata[WARNINGS_KEY] = warnings
        record = package_record(
            encounter=locked,
            from_state=from_state,
            to_state=to_state,
            transitioned_by=transitioned_by,
            effective_at=moment,
            reason=reason,
            metadata=metadata,
        )
        changes: dict[str, Any] = {
            "state": to_state,
            "state_since": moment,
            "latest_transition_id": record.pk,
            "updated_at": now,
        }
        if definition.is_final_state(to_state):
            changes["ended_at"] = moment
        # The encounter first (in the same statement on PostgreSQL): the database accepts the
        # transition row only when its encounter names it as the latest.
        write_move(locked.pk, changes, record, using)
        _apply(locked, changes)
        # Inside the transaction: a receiver that raises rolls the move back.
        encounter_transitioned.send(
            sender=Encounter,
            encounter=locked,
            transition=record,
            from_state=from_state,
            to_state=to_state,
        )
    # The caller's instance moves only once the move stands (no receiver refused it).
    _apply(encounter, changes)
    return record


def _apply(encounter: Encounter, changes: dict[str, Any]) -> None:
    """Set the written ``changes`` on an instance, which then counts them as loaded."""
    for name, value in changes.items():
        setattr(encounter, name, value)
    encounter._remember_loaded()


def _check_move(definition: EncounterDefinition, from_state: str, to_state: str) -> None:
    """The move is an edge of a valid graph, whatever way the stored row was written."""
    problems = graph_problems(
        definition.states, definition.initial_state, definition.final_states, definition.transitions
    )
    if problems:
        raise InvalidTransitionError(
            from_state,
            to_state,
            f"the stored graph of definition {definition.code!r} is invalid "
            f"({'; '.join(problems)}); expected a definition saved through save()",
        )
    if definition.is_final_state(from_state):
        raise InvalidTransitionError(
            from_state, to_state, f"'{from_state}' is a final state. Allowed transitions: []"
        )
    if not definition.is_valid_transition(from_state, to_state):
        raise InvalidTransitionError(
            from_state,
            to_state,
            f"Allowed transitions: {definition.get_allowed_transitions(from_state)}",
        )


def run_validators(
    encounter: Encounter, from_state: str, to_state: str, context: dict[str, Any] | None = None
) -> list[dict[str, str]]:
    """Run the definition's validators in order; return their warnings.

    A validator that raises ``ValidationError`` stops the transition. Warnings come back as
    ``[{"validator": path, "message": text}, ...]``.
    """
    warnings: list[dict[str, str]] = []
    for path, validator in load_validators(encounter.definition.validators or []):
        returned = validator.validate(encounter, from_state, to_state, context)
        warnings += [{"validator": path, "message": text} for text in as_warnings(returned, path)]
    return warnings


def get_allowed_transitions(encounter: Encounter) -> list[str]:
    """The states the encounter's definition allows from its current state."""
    arguments.saved_instance("encounter", encounter, Encounter)
    return encounter.definition.get_allowed_transitions(encounter.state)


def get_state_at(encounter: Encounter, timestamp: datetime) -> str:
    """The state the encounter was in at ``timestamp`` (one query, from the log alone).

    Before the first move (and before the encounter existed) the answer is the initial state the
    encounter was created in, even if the definition's ``initial_state`` changed since.
    """
    arguments.saved_instance("encounter", encounter, Encounter)
    arguments.aware_datetime("timestamp", timestamp, optional=False)
    # The latest move at or before the moment; the creation record answers when there is none
    # (it is the oldest row, so it is chosen only then).
    state = (
        EncounterTransition.objects.filter(encounter_id=encounter.pk)
        .filter(Q(effective_at__lte=timestamp) | Q(from_state=""))
        .order_by("-effective_at", "-transitioned_at")
        .values_list("to_state", flat=True)
        .first()
    )
    return state if state is not None else encounter.definition.initial_state


def _json_metadata(context: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of ``context`` for the transition's metadata; refuses what JSON cannot hold."""
    if context is None:
        return {}
    if not isinstance(context, dict):
        raise EncounterError(f"context {context!r} is not a dict; expected a JSON object")
    try:
        copied: dict[str, Any] = json.loads(
            json.dumps(context, cls=DjangoJSONEncoder, allow_nan=False)
        )
    except (TypeError, ValueError) as error:
        raise EncounterError(
            f"context {context!r} cannot be stored as JSON ({error}); expected JSON-able values"
        ) from error
    return copied
