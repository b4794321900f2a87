"""``EncounterTransition``: the append-only log of every state an encounter entered."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.markers import alters_data
from django_basemodels.models import UUIDModel
from django_encounters.exceptions import ImmutableHistoryError
from django_encounters.models.query import TransitionManager

WARNINGS_KEY = "validator_warnings"


class EncounterTransition(UUIDModel):
    """Append-only log of state transitions (the creation is the first, with from_state '').

    Python refuses updates and deletes on every ORM path; on PostgreSQL a trigger installed by the
    migrations refuses UPDATE and DELETE too (except Django's SET NULL when a user is deleted).
    """

    # No index of its own: both indexes below start with this column and serve its lookups
    # (and, on MariaDB, the foreign key constraint, which needs an index led by its column).
    # Named by its label: the encounter's module stands above this one (it writes creation
    # records with package_record()).
    encounter = models.ForeignKey(
        "django_encounters.Encounter",
        on_delete=models.PROTECT,
        related_name="transitions",
        db_index=False,
    )
    from_state = models.CharField(max_length=50, blank=True)
    to_state = models.CharField(max_length=50)

    transitioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transitions_made",
    )
    transitioned_at = models.DateTimeField(auto_now_add=True)
    effective_at = models.DateTimeField(
        default=timezone.now, help_text="When transition actually occurred (for backdating)"
    )

    reason = models.TextField(blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = TransitionManager()

    class Meta:
        app_label = "django_encounters"
        verbose_name = "encounter transition"
        verbose_name_plural = "encounter transitions"
        ordering = ["-transitioned_at"]
        # _base_manager too refuses changes and hand-made rows.
        base_manager_name = "objects"
        indexes = [
            # get_state_at(): the latest row at or before a moment, for one encounter.
            models.Index(fields=["encounter", "effective_at"], name="encounters_state_at_idx"),
            # The history in its order, a page at a time (django_encounters.history).
            models.Index(
                fields=["encounter", "transitioned_at", "effective_at", "id"],
                name="encounters_history_idx",
            ),
            # Every encounter's transitions newest first (the admin's transition list, in the
            # order above plus the key): a page is a range of it, not a sort of the whole table.
            models.Index(fields=["transitioned_at", "id"], name="encounters_transitioned_idx"),
        ]
        constraints = [
            # One creation record per encounter: a second one could only be forged.
            ConditionalUniqueConstraint(
                fields=["encounter"],
                condition=models.Q(from_state=""),
                name="encounters_one_creation_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"

    @property
    def warnings(self) -> list[str]:
        """Soft warnings the validators returned for this transition."""
        return [item["message"] for item in self.metadata.get(WARNINGS_KEY, [])]

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        # Checked on _state.adding, not pk: a UUID pk is set before the first save.
        if not self._state.adding:
            raise ImmutableHistoryError(
                f"Transitions are immutable: {self.pk} cannot be saved", self
            )
        self.refuse_hand_made([self])
        super().save(*args, **kwargs)

    @alters_data
    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        raise ImmutableHistoryError(f"Transitions are immutable: {self.pk} cannot be deleted", self)

    @classmethod
    def refuse_hand_made(cls, records: list[EncounterTransition]) -> None:
        """Refuse any of ``records`` not built by ``package_record()`` (every write path calls
        this: ``save()``, ``bulk_create()`` and ``transition()``'s own insert)."""
        for record in records:
            if not getattr(record, "_written_by_package", False):
                raise ImmutableHistoryError(
                    "EncounterTransition rows are written by transition() and create_encounter() "
                    f"only; expected a call to django_encounters.transition(), not a row made by "
                    f"hand ({record.from_state!r} -> {record.to_state!r})",
                    record,
                )


def package_record(**fields: Any) -> EncounterTransition:
    """A transition row as ``transition()`` and the creation of an encounter write it.

    Only rows built here can be saved: a row made by hand would disagree with its encounter's
    state (``get_state_at`` would report a move that never happened).
    """
    record = EncounterTransition(**fields)
    record._written_by_package = True  # type: ignore[attr-defined]
    return record


# Its name before it became a class method (moves.py's insert calls it by this name).
refuse_hand_made = EncounterTransition.refuse_hand_made
