"""The querysets of every party model, and the one manager class per queryset that gives each
model its ``objects``, ``all_objects`` and ``deleted_objects``.

All stand on django-basemodels' ``GuardedQuerySet``: soft delete, and a bulk write that the
database refuses is rolled back and raised as ``BulkWriteError``. Rows and values are checked in
Python first, for an error that names them. This module needs no model class: the models import
it to declare their managers.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from django_basemodels.markers import alters_data
from django_basemodels.query import GuardedQuerySet as BaseGuardedQuerySet
from django_basemodels.query import SoftDeleteManager
from django_parties.exceptions import BulkWriteError, InvalidArgumentError
from django_parties.models.base import PARTY_KINDS
from django_parties.models.relationship_types import check_relationship_type
from django_parties.validation import (
    check_date,
    check_instance,
    check_update_values,
    is_expression,
)

__all__ = [
    "ContactPointManager",
    "ContactPointQuerySet",
    "GuardedQuerySet",
    "PartyManager",
    "PartyQuerySet",
    "PartyRelationshipManager",
    "PartyRelationshipQuerySet",
    "PersonManager",
    "PersonQuerySet",
    "day_or_today",
]

# Set while bulk_update() writes rows it has checked one by one (see PartyRelationshipQuerySet).
_checked_rows: ContextVar[bool] = ContextVar("django_parties_checked_rows", default=False)


# Shared by the querysets of several models (persons, organizations, contact points...), so the
# row type stays open here.
class GuardedQuerySet(BaseGuardedQuerySet[Any]):
    """The package's guarded queryset: objects of the queryset's model only, every written field
    checked as ``save()`` checks it, and ``BulkWriteError`` for what the database refuses.

    Subclasses add their model's rules in ``check_row`` (calling this one first).
    """

    write_error = BulkWriteError

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        if not isinstance(obj, self.model):
            raise InvalidArgumentError("objs", obj, f"{self.model.__name__} instances")
        check_instance(obj, fields)

    def check_update(self, values: dict[str, Any]) -> None:
        check_update_values(self.model, values)


class PartyQuerySet(GuardedQuerySet):
    """Query helpers shared by the three party models; each one is a single query."""

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        # bulk_create/bulk_update: the same name rules as save(), with the same error.
        super().check_row(obj, fields)
        obj.check_name()

    def with_primary_contacts(self) -> PartyQuerySet:
        """Annotate ``primary_email`` and ``primary_phone`` (strings or ``None``).

        Subqueries, not a join per row: listing a thousand parties with their primary email is
        still one query.
        """
        kind = self.model.party_kind
        live_primary = {kind: OuterRef("pk"), "is_primary": True}
        # The contact models, reached through the reverse relations their keys declare.
        email_model: Any = self.model._meta.get_field("emails").related_model
        phone_model: Any = self.model._meta.get_field("phones").related_model
        annotated: PartyQuerySet = self.annotate(
            primary_email=Subquery(email_model.objects.filter(**live_primary).values("email")[:1]),
            primary_phone=Subquery(phone_model.objects.filter(**live_primary).values("number")[:1]),
        )
        return annotated


class PersonQuerySet(PartyQuerySet):
    def for_user(self, user: Any) -> PersonQuerySet:
        """The live person linked to ``user`` (a saved user: ``None`` would match the unlinked)."""
        user_model = get_user_model()
        if not isinstance(user, user_model) or user.pk is None or user._state.adding:
            raise InvalidArgumentError("user", user, f"a saved {user_model._meta.label}")
        mine: PersonQuerySet = self.filter(user=user)
        return mine


class ContactPointQuerySet(GuardedQuerySet):
    def primary(self) -> ContactPointQuerySet:
        primaries: ContactPointQuerySet = self.filter(is_primary=True)
        return primaries

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        super().check_row(obj, fields)
        obj.check_owner()


def day_or_today(moment: date | None) -> date:
    """``moment``, today when ``None``; ``InvalidArgumentError`` for anything but a date."""
    if moment is None:
        return timezone.localdate()
    check_date("as_of", moment)
    return moment


class PartyRelationshipQuerySet(GuardedQuerySet):
    def as_of(self, moment: date | None = None) -> PartyRelationshipQuerySet:
        """Relationships in force on ``moment`` (today when ``None``).

        A relationship covers ``valid_from`` up to, not including, ``valid_to``.
        """
        moment = day_or_today(moment)
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

    def check_row(self, obj: Any, fields: list[str] | None) -> None:
        super().check_row(obj, fields)
        obj.check_invariants()

    @alters_data
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

    def check_update(self, values: dict[str, Any]) -> None:
        value = values.get("relationship_type")
        if is_expression(value) and not _checked_rows.get():
            # The known types live in settings, out of the database's reach: only a value
            # checked here may be written.
            raise InvalidArgumentError(
                "relationship_type", value, "a plain string naming a known type, not an expression"
            )
        super().check_update(values)  # None, a number...: the type check needs a str
        if "relationship_type" in values and not is_expression(value):
            check_relationship_type(values["relationship_type"])


# One manager class per queryset gives a model its three managers: ``objects = X()``,
# ``all_objects = X(rows="all")``, ``deleted_objects = X(rows="dead")``.
PartyManager = SoftDeleteManager.from_queryset(PartyQuerySet)
PersonManager = SoftDeleteManager.from_queryset(PersonQuerySet)
ContactPointManager = SoftDeleteManager.from_queryset(ContactPointQuerySet)
PartyRelationshipManager = SoftDeleteManager.from_queryset(PartyRelationshipQuerySet)
