"""``PartyRelationship``: from exactly one party to exactly one party, for a period of time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from django_basemodels.models import BaseModel
from django_parties.exceptions import (
    InvalidValidityPeriodError,
    PartiesError,
    PartyEndpointError,
    UnknownRelationshipTypeError,
)
from django_parties.models.base import Party, exactly_one_set, set_party, set_party_fields
from django_parties.models.query import (
    PartyRelationshipManager,
    PartyRelationshipQuerySet,
    day_or_today,
)
from django_parties.models.relationship_types import (
    RelationshipType,
    check_relationship_type,
    known_relationship_types,
    relationship_type_choices,
)
from django_parties.validation import check_instance

# Importable from here as before: the querysets live in models.query, the kinds in
# models.relationship_types.
__all__ = [
    "PartyRelationship",
    "PartyRelationshipManager",
    "PartyRelationshipQuerySet",
    "RelationshipType",
    "known_relationship_types",
    "relationship_type_choices",
]


def _party_fk(side: str, model: str) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        f"django_parties.{model}",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=f"relationships_as_{side}",
        related_query_name=f"relationship_as_{side}",
    )


class PartyRelationship(BaseModel):
    """ "from_party is <relationship_type> of to_party": a person employed by an organization,
    a guardian of a person, a member of a group, the billing contact of a company...

    Exactly one ``from_*`` and exactly one ``to_*`` field is set (database CheckConstraints,
    ``clean()`` and ``save()``). The relationship is in force from ``valid_from`` (inclusive) to
    ``valid_to`` (exclusive; empty means open-ended).
    """

    from_person = _party_fk("from", "Person")
    from_organization = _party_fk("from", "Organization")
    from_group = _party_fk("from", "Group")
    to_person = _party_fk("to", "Person")
    to_organization = _party_fk("to", "Organization")
    to_group = _party_fk("to", "Group")

    relationship_type = models.CharField(max_length=50, db_index=True)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. a job title")
    valid_from = models.DateField(default=timezone.localdate)
    valid_to = models.DateField(
        null=True, blank=True, help_text="First day the relationship no longer holds."
    )
    notes = models.TextField(blank=True)

    objects: ClassVar[PartyRelationshipManager[PartyRelationship]] = PartyRelationshipManager()
    all_objects: ClassVar[PartyRelationshipManager[PartyRelationship]] = PartyRelationshipManager(
        rows="all"
    )
    deleted_objects: ClassVar[PartyRelationshipManager[PartyRelationship]] = (
        PartyRelationshipManager(rows="dead")
    )

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_set("from_person", "from_organization", "from_group"),
                name="django_parties_relationship_one_from_party",
            ),
            models.CheckConstraint(
                condition=exactly_one_set("to_person", "to_organization", "to_group"),
                name="django_parties_relationship_one_to_party",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="django_parties_relationship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(relationship_type=""),
                name="django_parties_relationship_has_a_type",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.from_party} is {self.relationship_type} of {self.to_party}"

    @property
    def from_party(self) -> Party | None:
        return set_party(self, "from_")

    @property
    def to_party(self) -> Party | None:
        return set_party(self, "to_")

    def is_current(self, moment: date | None = None) -> bool:
        moment = day_or_today(moment)
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)

    def _invariant_errors(self) -> Iterator[tuple[str, PartiesError]]:
        """``(field, error)`` for each rule this relationship breaks, in the order they are
        checked: the "from" side, the "to" side, the type, the period."""
        for side in ("from", "to"):
            chosen = set_party_fields(self, f"{side}_")
            if len(chosen) != 1:
                yield f"{side}_person", PartyEndpointError(self, side, chosen)
        try:
            check_relationship_type(self.relationship_type)
        except UnknownRelationshipTypeError as error:
            yield "relationship_type", error
        start, end = self.valid_from, self.valid_to
        if start is not None and end is not None and end <= start:
            yield "valid_to", InvalidValidityPeriodError(self, start, end)

    def check_invariants(self) -> None:
        """Raise the package's error if this relationship would break a rule."""
        for _field, error in self._invariant_errors():
            raise error

    def clean(self) -> None:
        super().clean()
        errors = {field: str(error) for field, error in self._invariant_errors()}
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_instance(self, kwargs.get("update_fields"))
        self.check_invariants()
        super().save(*args, **kwargs)
