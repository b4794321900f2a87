"""The operations users call: create, move and query encounters."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.utils import timezone

from django_encounters.exceptions import (
    DefinitionNotFoundError,
    EncounterError,
    EncounterNotFoundError,
    InvalidTransitionError,
)
from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition
from django_encounters.models.transition import WARNINGS_KEY
from django_encounters.signals import encounter_transitioned, send_after_commit
from django_encounters.validators import as_warnings, load_validators


def create_encounter(
    definition: EncounterDefinition | str,
    subject: Any,
    created_by=None,
    assigned_to=None,
    scheduled_at=None,
    notes: str = "",
    metadata: dict | None = None,
    effective_at=None,
) -> Encounter:
    """Create an encounter in its definition's initial state (and record the creation).

    ``definition`` is an ``EncounterDefinition`` or its ``code``. ``effective_at`` backdates the
    creation record (when the encounter really began); it defaults to now.
    """
    if isinstance(definition, str):
        code = definition
        definition = EncounterDefinition.objects.filter(code=code).first()
        if definition is None:
            raise DefinitionNotFoundError(code)
    if subject is None or getattr(subject, "pk", None) is None:
        raise EncounterError(f"subject {subject!r} is not a saved model instance; expected one")
    encounter = Encounter(
        definition=definition,
        subject=subject,
        created_by=created_by,
        assigned_to=assigned_to,
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
    transitioned_by=None,
    reason: str = "",
    context: dict | None = None,
    effective_at=None,
    skip_validation: bool = False,
) -> EncounterTransition:
    """Move an encounter to ``to_state`` and return the new ``EncounterTransition``.

    The encounter row is locked and its state re-read inside the lock, so two concurrent callers
    can never both leave the same state. Nothing is written when the transition is invalid or a
    validator blocks it. Validator warnings are stored in the record's metadata and exposed as
    ``record.warnings``. ``effective_at`` may backdate the transition, but not to before the
    moment the current state was entered. The caller's ``encounter`` is updated in place.

    Four queries without validators: lock, definition, insert, update.
    """
    using = router.db_for_write(Encounter, instance=encounter)
    metadata = _json_metadata(context)
    with transaction.atomic(using=using):
        locked = Encounter.objects.using(using).select_for_update().filter(pk=encounter.pk).first()
        if locked is None:
            raise EncounterNotFoundError(encounter.pk)
        definition = EncounterDefinition.locked_for_read(locked.definition_id, using)
        locked.definition = definition
        from_state = locked.state
        if not definition.is_valid_transition(from_state, to_state):
            raise InvalidTransitionError(
                from_state, to_state, f"Allowed transitions: {locked.allowed_transitions}"
            )
        moment = effective_at or timezone.now()
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
        record = EncounterTransition.objects.using(using).create(
            encounter=locked,
            from_state=from_state,
            to_state=to_state,
            transitioned_by=transitioned_by,
            effective_at=moment,
            reason=reason,
            metadata=metadata,
        )
        changes = {"state": to_state, "state_since": moment, "updated_at": timezone.now()}
        if definition.is_final_state(to_state):
            changes["ended_at"] = moment
        Encounter.objects.using(using).filter(pk=locked.pk)._write_state(**changes)
        for target in (locked, encounter):
            for name, value in changes.items():
                setattr(target, name, value)
            target._remember_loaded()
        send_after_commit(
            encounter_transitioned,
            using,
            encounter=locked,
            transition=record,
            from_state=from_state,
            to_state=to_state,
        )
    return record


def run_validators(
    encounter: Encounter, from_state: str, to_state: str, context: dict | None = None
) -> list[dict]:
    """Run the definition's validators in order; return their warnings.

    A validator that raises ``ValidationError`` stops the transition. Warnings come back as
    ``[{"validator": path, "message": text}, ...]``.
    """
    warnings = []
    for path, validator in load_validators(encounter.definition.validators or []):
        returned = validator.validate(encounter, from_state, to_state, context)
        warnings += [{"validator": path, "message": text} for text in as_warnings(returned, path)]
    return warnings


def get_allowed_transitions(encounter: Encounter) -> list[str]:
    """The states the encounter's definition allows from its current state."""
    return encounter.definition.get_allowed_transitions(encounter.state)


def get_encounter_history(encounter: Encounter) -> list[EncounterTransition]:
    """Every transition of the encounter, oldest first, starting with its creation record."""
    return list(encounter.transitions.order_by("transitioned_at", "effective_at"))


def get_state_at(encounter: Encounter, timestamp) -> str | None:
    """The state the encounter was in at ``timestamp`` (one query, from the log alone).

    Because the creation is recorded, the answer before any later transition is the state the
    encounter was actually created in, and ``None`` for a moment before the encounter existed.
    """
    return (
        EncounterTransition.objects.filter(encounter_id=encounter.pk, effective_at__lte=timestamp)
        .order_by("-effective_at", "-transitioned_at")
        .values_list("to_state", flat=True)
        .first()
    )


def _json_metadata(context: dict | None) -> dict:
    """A copy of ``context`` for the transition's metadata; refuses what JSON cannot hold."""
    if context is None:
        return {}
    if not isinstance(context, dict):
        raise EncounterError(f"context {context!r} is not a dict; expected a JSON object")
    try:
        return json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as error:
        raise EncounterError(
            f"context {context!r} cannot be stored as JSON ({error}); expected JSON-able values"
        ) from error
