"""QuerySets that keep each model's invariants on the ORM paths that bypass ``save()``.

``QuerySet.update``, ``bulk_update``, ``bulk_create`` and ``delete`` never call a model's
``save()``/``delete()``, so each path either keeps the invariant here or refuses with the
package's error.

This module stands below the models: it never imports them (not even for type checkers), so the
model modules can import it. The querysets are generic in their model and reach the model's own
methods through ``self.model``. Each soft-deletable model's three managers come from one class
built here (django-basemodels' ``SoftDeleteManager`` with ``rows=``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, models, transaction

from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import queryset_only
from django_basemodels.query import SoftDeleteManager, SoftDeleteQuerySet
from django_encounters.aliases import (
    DEFINITION_ALIASES,
    TRANSITION_ALIASES,
    canonical_kwargs,
    canonical_q,
)
from django_encounters.exceptions import (
    DuplicateDefinitionError,
    ImmutableHistoryError,
    InvalidDefinitionError,
    StateChangeError,
)

if TYPE_CHECKING:
    from typing_extensions import Self

GRAPH_FIELDS = frozenset({"states", "initial_state", "final_states", "transitions", "validators"})
# Written only by transition() (and at creation): save() leaves them out of an update, and the
# update paths that bypass save() refuse them (with the attribute name of the foreign key too).
STATE_FIELDS = ("state", "state_since", "definition", "latest_transition_id")
GUARDED_ENCOUNTER_FIELDS = (*STATE_FIELDS, "definition_id")

_Model = TypeVar("_Model", bound=models.Model, covariant=True)


def _own_model(queryset: models.QuerySet[Any]) -> Any:
    """``queryset.model`` with its own methods (``refuse_hand_made()`` ...), which a queryset
    generic in its model cannot name."""
    return queryset.model


class AliasQuerySet(models.QuerySet[_Model]):
    """``filter()`` and ``exclude()`` (and so ``get()``, ``get_or_create()``) accept the aliases
    in ``lookup_aliases``, in keyword arguments and in ``Q`` objects."""

    lookup_aliases: Mapping[str, str] = {}

    def canonical(self, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        where = f"{self.model.__name__}.objects.{method}()"
        return canonical_kwargs(where, self.lookup_aliases, kwargs)

    def filter(self, *args: Any, **kwargs: Any) -> Self:
        args = tuple(canonical_q(self.lookup_aliases, arg) for arg in args)
        filtered: Self = super().filter(*args, **self.canonical("filter", kwargs))
        return filtered

    def exclude(self, *args: Any, **kwargs: Any) -> Self:
        args = tuple(canonical_q(self.lookup_aliases, arg) for arg in args)
        excluded: Self = super().exclude(*args, **self.canonical("exclude", kwargs))
        return excluded


# as_manager() of the two bases disagree; the managers are built below instead.
class DefinitionQuerySet(  # type: ignore[override]
    AliasQuerySet[_Model], SoftDeleteQuerySet[_Model]
):
    """Graph fields change only through ``save()``, which validates them.

    Filters and ``update()`` accept the roadmap's ``key``, ``terminal_states`` and
    ``validator_paths``.
    """

    lookup_aliases = DEFINITION_ALIASES

    def update(self, **kwargs: Any) -> int:
        kwargs = self.canonical("update", kwargs)
        touched = GRAPH_FIELDS & set(kwargs)
        if touched:
            raise InvalidDefinitionError(
                None, [f"QuerySet.update() cannot change {sorted(touched)}; save() each definition"]
            )
        return super().update(**kwargs)

    def bulk_update(
        self,
        objs: Iterable[Any],
        fields: Iterable[str],
        batch_size: int | None = None,
    ) -> int:
        fields = [DEFINITION_ALIASES.get(name, name) for name in fields]
        touched = GRAPH_FIELDS & set(fields)
        if touched:
            raise InvalidDefinitionError(
                None, [f"bulk_update() cannot change {sorted(touched)}; save() each definition"]
            )
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for definition in objs:
            problems = definition.problems()
            if problems:
                raise InvalidDefinitionError(definition, problems)

        def write() -> list[Any]:
            with transaction.atomic(using=self.db):
                written: list[Any] = super(DefinitionQuerySet, self).bulk_create(
                    objs, *args, **kwargs
                )
                return written

        try:
            # As in save(): a racing insert that InnoDB picks as a deadlock's victim runs again.
            created = retrying_deadlocks(self.db, write)
        except IntegrityError as error:
            duplicate = self._duplicate_among(objs)
            if duplicate is None:
                raise
            raise duplicate from error
        return created

    def _duplicate_among(self, objs: list[Any]) -> DuplicateDefinitionError | None:
        """After an IntegrityError: a name or code repeated in the batch or already live."""
        for field in ("code", "name"):
            values = [getattr(definition, field) for definition in objs]
            live = _own_model(self).objects.using(self.db).filter(**{f"{field}__in": values})
            clashes = set(live.values_list(field, flat=True))
            clashes |= {value for value in values if values.count(value) > 1}
            if clashes:
                return DuplicateDefinitionError(field, sorted(clashes)[0])
        return None


class EncounterQuerySet(SoftDeleteQuerySet[_Model]):
    """State and definition move only through ``transition()``; creations are always logged."""

    def update(self, **kwargs: Any) -> int:
        for name in GUARDED_ENCOUNTER_FIELDS:
            if name in kwargs:
                raise StateChangeError(_Unsaved(), name)
        return super().update(**kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        fields = list(fields)
        for name in GUARDED_ENCOUNTER_FIELDS:
            if name in fields:
                raise StateChangeError(_Unsaved(), name)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(  # type: ignore[override]
        self,
        objs: Iterable[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        **kwargs: Any,
    ) -> list[Any]:
        """Create encounters and their creation records: two INSERTs whatever the count."""
        if ignore_conflicts or kwargs.get("update_conflicts"):
            raise ImmutableHistoryError(
                "Encounter bulk_create() cannot ignore or update conflicts: every created "
                "encounter must get its creation record"
            )
        objs = list(objs)
        with transaction.atomic(using=self.db):
            fresh = {}  # one locked read per definition, not per encounter
            for encounter in objs:
                if encounter.definition_id not in fresh:
                    encounter.refresh_definition(self.db)
                    fresh[encounter.definition_id] = encounter.definition
                encounter.definition = fresh[encounter.definition_id]
                encounter.prepare_for_insert()
            records = [encounter.creation_record() for encounter in objs]
            created: list[Any] = super().bulk_create(objs, batch_size=batch_size, **kwargs)
            if records:
                type(records[0]).objects.using(self.db).bulk_create(records)
            for encounter in created:
                encounter.after_insert()
        return created

    def for_subject(self, subject: models.Model) -> Self:
        """Encounters about ``subject`` (any model, integer or UUID key)."""
        from django.contrib.contenttypes.models import ContentType

        about: Self = self.filter(
            subject_content_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
        )
        return about

    def subject_pks(self, model: type[models.Model]) -> list[Any]:
        """Primary keys of the ``model`` subjects of these encounters (one query).

        Use it for "subjects having such encounters" on every database:
        ``Asset.objects.filter(pk__in=Encounter.objects.filter(...).subject_pks(Asset))``.
        A reverse ``GenericRelation`` join does the same on PostgreSQL, where Django casts
        ``subject_id`` to the key's type; SQLite stores UUIDs as 32 hex digits, so a join against
        the text form silently matches nothing there.
        """
        from django.contrib.contenttypes.models import ContentType

        ids = self.filter(subject_content_type=ContentType.objects.get_for_model(model))
        to_python = model._meta.pk.to_python
        return [to_python(value) for value in ids.values_list("subject_id", flat=True).distinct()]

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableHistoryError(
            "Encounters keep their transition history: hard delete is refused; use delete() "
            "(soft delete) instead"
        )


class TransitionQuerySet(AliasQuerySet[_Model]):
    """Append-only: rows are added by the package's services, never changed or removed.

    Filters accept the roadmap's ``by_user`` for ``transitioned_by``.
    """

    lookup_aliases = TRANSITION_ALIASES

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        _own_model(self).refuse_hand_made(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        # The one change allowed, as by the PostgreSQL trigger: Django's on_delete=SET_NULL when
        # the user who made the transitions is deleted (the collector uses the base manager).
        if kwargs in ({"transitioned_by": None}, {"transitioned_by_id": None}):
            return super().update(**kwargs)
        raise ImmutableHistoryError("EncounterTransition rows are append-only: update() refused")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableHistoryError(
            "EncounterTransition rows are append-only: bulk_update() refused"
        )

    @queryset_only
    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableHistoryError("EncounterTransition rows are append-only: delete() refused")


TransitionManager = models.Manager.from_queryset(TransitionQuerySet)


class _Unsaved:
    """Stands in for 'some encounters' in an error raised by a queryset method."""

    pk = "(queryset)"


# One manager class per soft-deletable model: ``Manager()``, ``Manager(rows="all")`` and
# ``Manager(rows="dead")`` are its ``objects``, ``all_objects`` and ``deleted_objects``.
DefinitionManager = SoftDeleteManager.from_queryset(DefinitionQuerySet)
EncounterManager = SoftDeleteManager.from_queryset(EncounterQuerySet)
