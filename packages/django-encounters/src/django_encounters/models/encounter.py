"""``Encounter``: one subject's way through a definition's states."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction

from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_encounters import arguments
from django_encounters.exceptions import (
    ImmutableHistoryError,
    InvalidArgumentError,
    InvalidTransitionError,
    StateChangeError,
)
from django_encounters.models.definition import EncounterDefinition
from django_encounters.models.query import (
    GUARDED_ENCOUNTER_FIELDS,
    STATE_FIELDS,
    EncounterManager,
)
from django_encounters.models.transition import EncounterTransition, package_record
from django_encounters.signals import encounter_created

if TYPE_CHECKING:
    from typing_extensions import Self

_MISSING = object()
# Checked on every save: text fits its column, datetimes are aware, metadata is a dict.
CHECKED_FIELDS = (
    "state",
    "state_since",
    "scheduled_at",
    "started_at",
    "ended_at",
    "notes",
    "metadata",
    "created_at",
)


class Encounter(BaseModel):  # BaseModel already includes UUIDModel
    """An encounter instance tracking progress through states."""

    definition = models.ForeignKey(
        EncounterDefinition, on_delete=models.PROTECT, related_name="encounters"
    )

    # What or who the encounter is about: any model, integer or UUID primary key.
    subject_content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.CharField(max_length=255)
    subject = GenericForeignKey("subject_content_type", "subject_id")

    state = models.CharField(max_length=50)
    state_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Effective time at which the current state was entered",
    )

    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="encounters_created",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="encounters_assigned",
    )

    notes = models.TextField(blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)

    # Not a foreign key: the encounter row is written before its transition row (see
    # transition()), and on PostgreSQL a trigger accepts a transition row only when its encounter
    # already names it here, so a hand-made row is refused by the database too.
    latest_transition_id = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The transition that entered the current state (set by the package only)",
    )

    objects: ClassVar[EncounterManager[Encounter]] = EncounterManager()
    all_objects: ClassVar[EncounterManager[Encounter]] = EncounterManager(rows="all")
    deleted_objects: ClassVar[EncounterManager[Encounter]] = EncounterManager(rows="dead")

    class Meta:
        app_label = "django_encounters"
        verbose_name = "encounter"
        verbose_name_plural = "encounters"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["subject_content_type", "subject_id"]),
            models.Index(fields=["state"]),
            models.Index(fields=["scheduled_at"]),
            models.Index(fields=["definition", "state"]),
        ]
        # _base_manager too refuses state changes that skip transition().
        base_manager_name = "all_objects"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
        except ValueError as error:  # e.g. a Patient given as definition or created_by
            if isinstance(error, InvalidArgumentError):
                raise
            raise InvalidArgumentError(
                "Encounter()", kwargs, "instances of the related models", str(error)
            ) from error

    def __str__(self) -> str:
        return f"{self.definition.name} - {self.state}"

    @property
    def is_final(self) -> bool:
        """Check if encounter is in a final state."""
        return self.definition.is_final_state(self.state)

    @property
    def allowed_transitions(self) -> list[str]:
        """Get list of states that can be transitioned to."""
        return self.definition.get_allowed_transitions(self.state)

    # -- saving --------------------------------------------------------------------------------

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        # **kwargs: Django 6.1 passes fetch_mode; older versions pass nothing more.
        instance: Self = super().from_db(db, field_names, values, **kwargs)
        instance._remember_loaded()
        return instance

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._remember_loaded()

    def _remember_loaded(self) -> None:
        self._loaded = {
            name: self.__dict__.get(name, _MISSING) for name in ("state", "definition_id")
        }

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert with a creation record, or update everything but the state fields."""
        if self._state.adding:
            using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
            with transaction.atomic(using=using):
                self.refresh_definition(using)
                self.prepare_for_insert()
                record = self.creation_record()
                super().save(*args, **kwargs)
                record.save(using=using, force_insert=True)
                self.after_insert()
            return
        for name, loaded in getattr(self, "_loaded", {}).items():
            current = self.__dict__.get(name, _MISSING)
            if _MISSING not in (loaded, current) and current != loaded:
                raise StateChangeError(self, name.removesuffix("_id"))
        update_fields = kwargs.get("update_fields")
        arguments.field_values(self, update_fields or CHECKED_FIELDS)
        if update_fields is None:
            deferred = self.get_deferred_fields()  # as Django does: never write unloaded fields
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in STATE_FIELDS
                and field.attname not in deferred
            ]
        else:
            for name in update_fields:
                if name in GUARDED_ENCOUNTER_FIELDS:
                    raise StateChangeError(self, name)
        super().save(*args, **kwargs)

    def refresh_definition(self, using: str) -> None:
        """On PostgreSQL, re-read the definition under a key-share lock before checking states.

        An edit that removes the state being created in then either commits first (and the state
        is refused here) or waits for this insert (and counts it).
        """
        if connections[using].vendor == "postgresql" and self.definition_id is not None:
            fresh = EncounterDefinition.locked_for_read(self.definition_id, using)
            if fresh is not None:  # else the insert fails on the foreign key, as it should
                self.definition = fresh

    def prepare_for_insert(self) -> None:
        """Check the new encounter, fill its initial state and check that; shared by ``save()``
        and ``bulk_create()``."""
        if self.definition_id is None:
            raise InvalidArgumentError("Encounter.definition", None, "a saved EncounterDefinition")
        arguments.saved_instance("Encounter.definition", self.definition, EncounterDefinition)
        subject = self.cached_subject()
        if subject is not None:
            arguments.saved_instance("Encounter.subject", subject)
        elif self.subject_content_type_id is None or self.subject_id in (None, ""):
            raise InvalidArgumentError("Encounter.subject", None, "a saved model instance")
        arguments.related_saved(self, ("created_by", "assigned_to"))
        self.subject_id = str(self.subject_id)
        arguments.field_values(self, CHECKED_FIELDS)
        definition = self.definition
        if not self.state:
            self.state = definition.initial_state
        if not definition.is_valid_state(self.state):
            raise InvalidTransitionError(
                "",
                self.state,
                f"state is not declared by definition {definition.code!r}; "
                f"expected one of {definition.states!r}",
            )
        if self.state_since is None:
            self.state_since = self.created_at
        arguments.not_in_future("Encounter.state_since", self.state_since)

    def cached_subject(self) -> models.Model | None:
        """The subject object assigned to this instance, if one was (without a query)."""
        field = self._meta.get_field("subject")
        if field.is_cached(self):  # type: ignore[union-attr]
            cached: models.Model | None = field.get_cached_value(self)  # type: ignore[union-attr]
            return cached
        return None

    def creation_record(self) -> EncounterTransition:
        """The transition that records the creation: from '' to the state created in.

        The encounter names it as its latest transition before either row is written.
        """
        record = package_record(
            encounter=self,
            from_state="",
            to_state=self.state,
            transitioned_by=self.created_by,
            effective_at=self.state_since,
        )
        self.latest_transition_id = record.pk
        return record

    def after_insert(self) -> None:
        """Announce the new encounter, inside the transaction that inserted it (``save()`` and
        ``bulk_create()``): a receiver that raises rolls the insert back."""
        self._remember_loaded()
        encounter_created.send(sender=type(self), encounter=self)

    @alters_data
    def hard_delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        raise ImmutableHistoryError(
            f"Encounter {self.pk} keeps its transition history: hard delete is refused; "
            "use delete() (soft delete) instead",
            self,
        )
