"""``EncounterDefinition``: a named state machine, checked every time it is saved."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Count, Q

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_encounters import arguments
from django_encounters.aliases import DEFINITION_ALIASES, canonical_kwargs
from django_encounters.diagram import state_diagram_svg
from django_encounters.exceptions import (
    DefinitionInUseError,
    DuplicateDefinitionError,
    EncounterError,
    InvalidDefinitionError,
    ValidatorConfigurationError,
)
from django_encounters.graph import graph_problems, mermaid
from django_encounters.models.query import DefinitionManager
from django_encounters.validators import load_validators

# The shared row lock each server database has for reading a definition while edits wait.
SHARE_LOCKS = {"postgresql": "FOR KEY SHARE", "mysql": "LOCK IN SHARE MODE"}


class EncounterDefinition(BaseModel):  # BaseModel already includes UUIDModel
    """Defines an encounter type and its allowed states/transitions."""

    name = models.CharField(max_length=100)
    code = models.CharField(max_length=50)
    description = models.TextField(blank=True, default="")

    states = models.JSONField(default=list, help_text="List of allowed state names")
    initial_state = models.CharField(max_length=50)
    final_states = models.JSONField(default=list, help_text="List of terminal state names")
    transitions = models.JSONField(
        default=dict, help_text="Dict mapping state to list of allowed next states"
    )
    validators = models.JSONField(
        default=list,
        blank=True,
        help_text='List of validator class paths, or {"path": ..., "params": {...}} entries',
    )
    metadata = models.JSONField(default=dict, blank=True)

    objects: ClassVar[DefinitionManager[EncounterDefinition]] = DefinitionManager()
    all_objects: ClassVar[DefinitionManager[EncounterDefinition]] = DefinitionManager(rows="all")
    deleted_objects: ClassVar[DefinitionManager[EncounterDefinition]] = DefinitionManager(
        rows="dead"
    )

    class Meta:
        app_label = "django_encounters"
        verbose_name = "encounter definition"
        verbose_name_plural = "encounter definitions"
        ordering = ["name"]
        # _base_manager too refuses graph changes that skip save()'s validation.
        base_manager_name = "all_objects"
        constraints = [
            # Soft-deleted definitions free their name and code for reuse.
            ConditionalUniqueConstraint(
                fields=["name"],
                condition=Q(deleted_at__isnull=True),
                name="encounters_definition_live_name_unique",
            ),
            ConditionalUniqueConstraint(
                fields=["code"],
                condition=Q(deleted_at__isnull=True),
                name="encounters_definition_live_code_unique",
            ),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The roadmap's spellings (key, terminal_states, validator_paths) are accepted too.
        kwargs = canonical_kwargs("EncounterDefinition()", DEFINITION_ALIASES, kwargs)
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    # The roadmap's names for three fields, readable and writable on an instance.

    @property
    def key(self) -> str:
        """The roadmap's name for ``code``."""
        return self.code

    @key.setter
    def key(self, value: str) -> None:
        self.code = value

    @property
    def terminal_states(self) -> list[str]:
        """The roadmap's name for ``final_states``."""
        return self.final_states  # type: ignore[no-any-return]

    @terminal_states.setter
    def terminal_states(self, value: list[str]) -> None:
        self.final_states = value

    @property
    def validator_paths(self) -> list[Any]:
        """The roadmap's name for ``validators``."""
        return self.validators  # type: ignore[no-any-return]

    @validator_paths.setter
    def validator_paths(self, value: list[Any]) -> None:
        self.validators = value

    # -- the state machine ---------------------------------------------------------------------

    def is_valid_state(self, state: str) -> bool:
        """Check if a state is defined for this encounter type."""
        return state in self.states

    def is_final_state(self, state: str) -> bool:
        """Check if a state is a final/terminal state."""
        return state in self.final_states

    def is_valid_transition(self, from_state: str, to_state: str) -> bool:
        """Check if a transition between two states is allowed."""
        return to_state in self.transitions.get(from_state, [])

    def get_allowed_transitions(self, from_state: str) -> list[str]:
        """Get list of states that can be transitioned to from current state."""
        return list(self.transitions.get(from_state, []))

    def to_mermaid(self) -> str:
        """The state diagram as Mermaid ``stateDiagram-v2`` text."""
        return mermaid(self.states, self.initial_state, self.final_states, self.transitions)

    def to_svg(self) -> str:
        """The state diagram as an inline ``<svg>`` element (names escaped; no script needed)."""
        return state_diagram_svg(
            self.states, self.initial_state, self.final_states, self.transitions
        )

    # -- integrity -----------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Every fault of the graph and of the validator list; empty when the definition is fine."""
        found = self.field_problems()
        found += graph_problems(
            self.states, self.initial_state, self.final_states, self.transitions
        )
        if not isinstance(self.validators, list):
            found.append(f"validators must be a list of entries, got {self.validators!r}")
            return found
        for entry in self.validators:
            try:
                load_validators([entry])
            except ValidatorConfigurationError as error:
                found.append(str(error))
        return found

    def field_problems(self) -> list[str]:
        """Faults of the plain fields: text that is not text or does not fit, a non-dict
        ``metadata``, an empty ``code``."""
        found = []
        if self.code == "":
            found.append("code '' is empty; expected a short unique code such as 'VISIT'")
        try:
            arguments.field_values(self, ["name", "code", "description", "metadata"])
        except EncounterError as error:
            found.append(str(error))
        return found

    def states_in_use(self, removed: set[str], using: str | None = None) -> dict[str, int]:
        """How many live encounters are in each of the ``removed`` states."""
        if not removed or self._state.adding:
            return {}
        rows = (
            self.encounters.using(using or self._state.db or "default")
            .filter(state__in=sorted(removed))
            .values("state")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {row["state"]: row["count"] for row in rows}

    def removed_states_in_use(self, using: str | None = None, lock: bool = False) -> dict[str, int]:
        """Live encounters in the states this edit drops from the stored row.

        ``lock`` takes the stored row FOR UPDATE first (``save()`` does).
        """
        if self._state.adding:
            return {}
        stored = type(self).all_objects.using(using).filter(pk=self.pk)
        if lock:
            stored = stored.select_for_update()
        old_states = stored.values_list("states", flat=True).first()
        return self.states_in_use(set(old_states or []) - set(self.states or []), using)

    def clean(self) -> None:
        """Form-level check (admin): the same rules as ``save()``, as Django's ValidationError."""
        super().clean()
        messages = self.problems()
        in_use = self.removed_states_in_use()
        if in_use:
            messages.append(str(DefinitionInUseError(self, in_use)))
        if messages:
            raise DjangoValidationError(messages)

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse an invalid graph, and an edit that drops states live encounters are in.

        On an edit the stored row is locked first; ``transition()`` reads the definition under a
        key-share lock on PostgreSQL, so a transition into a state being removed either finishes
        before this check (and is counted) or starts after it (and sees the new states).
        """
        if self.name == "" and isinstance(self.code, str):
            self.name = self.code  # the roadmap's example names a definition by its key only
        problems = self.problems()
        if problems:
            raise InvalidDefinitionError(self, problems)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        try:
            # Racing inserts of one code can deadlock on MariaDB (their duplicate checks lock the
            # same gap of a unique index): the victim runs again, then meets the winner's row.
            retrying_deadlocks(using, lambda: self._save_unless_in_use(using, args, kwargs))
        except IntegrityError as error:
            duplicate = self.duplicate_error(using)
            if duplicate is None:
                raise
            raise duplicate from error

    def _save_unless_in_use(self, using: str, args: Any, kwargs: Any) -> None:
        """One try of ``save()``, in its own transaction (or savepoint)."""
        with transaction.atomic(using=using):
            in_use = self.removed_states_in_use(using, lock=True)
            if in_use:
                raise DefinitionInUseError(self, in_use)
            super().save(*args, **kwargs)

    def duplicate_error(self, using: str) -> DuplicateDefinitionError | None:
        """After an IntegrityError: the live definition whose name or code this one repeats."""
        others = type(self).objects.using(using).exclude(pk=self.pk)
        for field in ("code", "name"):
            value = getattr(self, field)
            if others.filter(**{field: value}).exists():
                return DuplicateDefinitionError(field, value)
        return None

    @classmethod
    def locked_for_read(cls, pk: Any, using: str = "default") -> EncounterDefinition | None:
        """Load a definition, share-locked until the transaction ends: ``FOR KEY SHARE`` on
        PostgreSQL, ``LOCK IN SHARE MODE`` on MariaDB (SQLite runs one writer at a time).

        The lock lets any number of transitions read the definition at once but waits for an
        edit in progress (which holds FOR UPDATE), so no transition works from a stale graph.
        """
        lock = SHARE_LOCKS.get(connections[using].vendor)
        if lock is None:
            first: EncounterDefinition | None = cls._base_manager.using(using).filter(pk=pk).first()
            return first
        table = connections[using].ops.quote_name(cls._meta.db_table)
        found = list(
            cls._base_manager.using(using).raw(f"SELECT * FROM {table} WHERE id = %s {lock}", [pk])
        )
        return found[0] if found else None
