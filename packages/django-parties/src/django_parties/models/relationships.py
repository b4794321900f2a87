"""``PartyRelationship``: from exactly one party to exactly one party, for a period of time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from django_basemodels.models import BaseModel
from django_basemodels.query import (
    AllObjectsManager,
    DeletedObjectsManager,
    SoftDeleteManager,
)
from django_parties import conf
from django_parties.exceptions import (
    InvalidArgumentError,
    InvalidValidityPeriodError,
    PartiesError,
    PartyEndpointError,
    UnknownRelationshipTypeError,
)
from django_parties.models.base import (
    PARTY_KINDS,
    GuardedQuerySet,
    Party,
    exactly_one_set,
    set_party,
    set_party_fields,
)
from django_parties.validation import (
    check_date,
    check_instance,
    check_update_values,
    is_expression,
)

# Set while bulk_update() writes rows it has checked one by one (see update() below).
_checked_rows: ContextVar[bool] = ContextVar("django_parties_checked_rows", default=False)


class RelationshipType(models.TextChoices):
    """The built-in kinds; a host adds its own with ``PARTIES_EXTRA_RELATIONSHIP_TYPES``."""

    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    OWNER = "owner", _("Owner")
    GUARDIAN = "guardian", _("Guardian")
    MEMBER = "member", _("Member")
    CONTACT = "contact", _("Contact")
    BILLING = "billing", _("Billing")
    EMERGENCY_CONTACT = "emergency_contact", _("Emergency contact")
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CUSTOMER = "customer", _("Customer")
    SUPPLIER = "supplier", _("Supplier")


def relationship_type_choices() -> list[tuple[str, str | Promise]]:
    """Built-in kinds followed by the host's own, as (value, label) pairs."""
    extra = conf.get("PARTIES_EXTRA_RELATIONSHIP_TYPES")
    return list(RelationshipType.choices) + [(str(k), str(v)) for k, v in extra.items()]


def known_relationship_types() -> list[str]:
    return [value for value, _label in relationship_type_choices()]


class PartyRelationshipQuerySet(GuardedQuerySet):
    def as_of(self, moment: date | None = None) -> PartyRelationshipQuerySet:
        """Relationships in force on ``moment`` (today when ``None``).

        A relationship covers ``valid_from`` up to, not including, ``valid_to``.
        """
        moment = _moment(moment)
        in_force: PartyRelationshipQuerySet = self.filter(valid_from__lte=moment).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=moment)
        )
        return in_force

    def current(self) -> PartyRelationshipQuerySet:
        """Relationships in force today."""
        return self.as_of(None)

    def of_type(self, *relationship_types: str) -> PartyRelationshipQuerySet:
        of_types: PartyRelationshipQuerySet = self.filter(relationship_type__in=relationship_types)
        return of_types

    def with_parties(self) -> PartyRelationshipQuerySet:
        """Fetch both sides in the same query (no N+1 when listing)."""
        joined: PartyRelationshipQuerySet = self.select_related(
            *(f"{side}_{kind}" for side in ("from", "to") for kind in PARTY_KINDS)
        )
        return joined

    def check_row(self, obj: Any) -> None:
        obj.check_invariants()

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        # Django writes bulk_update() as update(field=Case(When(pk=..., then=value)...)): an
        # expression, but one built from objects that check_row() has just checked.
        token = _checked_rows.set(True)
        try:
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _checked_rows.reset(token)

    def update(self, **kwargs: Any) -> int:
        value = kwargs.get("relationship_type")
        if is_expression(value) and not _checked_rows.get():
            # The known types live in settings, out of the database's reach: only a value
            # checked here may be written.
            raise InvalidArgumentError(
                "relationship_type", value, "a plain string naming a known type, not an expression"
            )
        check_update_values(self.model, kwargs)  # None, a number...: the type check needs a str
        if "relationship_type" in kwargs and not is_expression(value):
            _check_type(kwargs["relationship_type"])
        return super().update(**kwargs)


# django-basemodels builds its soft-delete managers at run time (from_queryset), which type
# checkers cannot follow: the classes based on them, and the model attributes holding them,
# carry ignores until django-basemodels gives its managers static types.
class PartyRelationshipManager(SoftDeleteManager.from_queryset(PartyRelationshipQuerySet)):  # type: ignore[misc]
    """Default manager: hides soft-deleted relationships."""


class AllRelationshipsManager(AllObjectsManager.from_queryset(PartyRelationshipQuerySet)):  # type: ignore[misc]
    """``all_objects``: deleted rows too, with the same guarded bulk paths."""


class DeletedRelationshipsManager(
    DeletedObjectsManager.from_queryset(PartyRelationshipQuerySet)  # type: ignore[misc]
):
    """``deleted_objects``: soft-deleted rows only, with the same guarded bulk paths."""


def _moment(moment: date | None) -> date:
    """``moment``, today when ``None``; ``InvalidArgumentError`` for anything but a date."""
    if moment is None:
        return timezone.localdate()
    check_date("as_of", moment)
    return moment


def _check_type(value: str) -> None:
    known = known_relationship_types()
    if value not in known:
        raise UnknownRelationshipTypeError(value, known)


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

    objects = PartyRelationshipManager()  # type: ignore[misc]
    all_objects = AllRelationshipsManager()  # type: ignore[misc]
    deleted_objects = DeletedRelationshipsManager()  # type: ignore[misc]

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
        moment = _moment(moment)
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)

    def _invariant_errors(self) -> Iterator[tuple[str, PartiesError]]:
        """``(field, error)`` for each rule this relationship breaks, in the order they are
        checked: the "from" side, the "to" side, the type, the period."""
        for side in ("from", "to"):
            chosen = set_party_fields(self, f"{side}_")
            if len(chosen) != 1:
                yield f"{side}_person", PartyEndpointError(self, side, chosen)
        try:
            _check_type(self.relationship_type)
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
