"""``Module`` (a switchable part of the application) and ``OrgModuleState`` (one org's override)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db import DataError, IntegrityError, connections, models, router, transaction
from django.db.models import Q

from django_basemodels.constraints import (
    ConditionalUniqueConstraint,
    conditional_uniqueness_enforced,
)
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_modules import conf, tracking
from django_modules.exceptions import (
    BulkWriteError,
    DuplicateModuleKeyError,
    DuplicateOverrideError,
)
from django_modules.query import (
    ModuleManager,
    ModuleQuerySet,
    OrgModuleStateManager,
    OrgModuleStateQuerySet,
    TrackedQuerySet,
)
from django_modules.validation import check_instance

# The querysets are defined in query.py; importable from here as before.
__all__ = [
    "Module",
    "ModuleQuerySet",
    "OrgModuleState",
    "OrgModuleStateQuerySet",
    "TrackedModel",
    "TrackedQuerySet",
]


class TrackedModel(BaseModel):
    """Saves that keep the toggle signals, the request cache and uniqueness in step.

    Subclasses name ``TOGGLE_FIELDS`` (identity fields, then the flag) and ``WATCHED_FIELDS`` (the
    fields whose change can toggle something).
    """

    TOGGLE_FIELDS: tuple[str, ...] = ()
    WATCHED_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def toggle_values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.TOGGLE_FIELDS)

    def duplicate_error(self) -> Exception:
        """The package's error for a second live row with this row's identity."""
        raise NotImplementedError

    @classmethod
    def live_duplicate(
        cls, using: str, identities: Sequence[tuple[Any, ...]], exclude: Iterable[Any] = ()
    ) -> Exception | None:
        """The error for a live row (other than ``exclude``) holding one of ``identities``."""
        raise NotImplementedError

    @classmethod
    def cascaded_rows(cls, pks: Sequence[Any], using: str) -> list[tuple[type[TrackedModel], Any]]:
        """``(model, queryset)`` for the rows a soft delete or restore of ``pks`` also writes."""
        raise NotImplementedError

    @classmethod
    def in_batch_duplicate(
        cls, identities: Sequence[tuple[Any, ...]], objs: Sequence[TrackedModel]
    ) -> Exception | None:
        """The error for the first of ``objs`` repeating an earlier identity, or ``None``."""
        seen: set[tuple[Any, ...]] = set()
        for identity, obj in zip(identities, objs, strict=True):
            if identity in seen:
                return obj.duplicate_error()
            seen.add(identity)
        return None

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        model = type(self)
        check_instance(self, kwargs.get("update_fields"))
        using = kwargs.get("using") or router.db_for_write(model, instance=self)
        # Racing inserts of one key can deadlock on MariaDB (their duplicate checks lock the same
        # gap of the unique index): the victim runs again and then meets the winner's row.
        retrying_deadlocks(using, lambda: self._tracked_save(using, args, kwargs))

    def _tracked_save(self, using: str, args: Any, kwargs: Any) -> None:
        """One try of ``save()``, in its own transaction (or savepoint)."""
        model = type(self)
        with transaction.atomic(using=using):
            before: tracking.Snapshot = {}
            if not self._state.adding:
                rows = model.all_objects.using(using).filter(pk=self.pk)
                before = tracking.locked_snapshot(rows)
            identity = self.toggle_values()[:-1]
            if self.deleted_at is None and not conditional_uniqueness_enforced(connections[using]):
                # The database does not enforce the live uniqueness: the check is Python's alone.
                error = model.live_duplicate(using, [identity], exclude=[self.pk])
                if error is not None:
                    raise error
            try:
                with transaction.atomic(using=using):
                    super().save(*args, **kwargs)
            except IntegrityError as integrity_error:
                error = model.live_duplicate(using, [identity], exclude=[self.pk])
                if error is None or self.deleted_at is not None:
                    raise BulkWriteError(model, integrity_error) from integrity_error
                raise error from integrity_error
            except DataError as data_error:  # a value the column cannot hold, from an expression
                raise BulkWriteError(model, data_error) from data_error
            after = {self.pk: self.toggle_values()} if self.deleted_at is None else {}
            tracking.emit(model, before, after, using, known={self.pk: self})


class Module(TrackedModel):
    """A part of the application that can be switched on or off.

    ``active`` is the global default: it applies to every organization without an override.
    """

    key = models.SlugField(max_length=100, help_text="Stable identifier used in code.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    active = models.BooleanField(default=True, help_text="On for organizations without override.")

    objects: ClassVar[ModuleManager[Module]] = ModuleManager()
    all_objects: ClassVar[ModuleManager[Module]] = ModuleManager(rows="all")
    deleted_objects: ClassVar[ModuleManager[Module]] = ModuleManager(rows="dead")

    TOGGLE_FIELDS = ("key", "active")
    WATCHED_FIELDS = frozenset({"key", "active", "deleted_at"})

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        ordering = ["key"]
        constraints = [
            ConditionalUniqueConstraint(
                fields=["key"],
                condition=Q(deleted_at__isnull=True),
                name="django_modules_module_live_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def cascaded_rows(cls, pks: Sequence[Any], using: str) -> list[tuple[type[TrackedModel], Any]]:
        """The rows a soft delete or restore of these modules also writes: their overrides."""
        states = OrgModuleState.all_objects.using(using).filter(module_id__in=pks)
        return [(OrgModuleState, states)]

    def duplicate_error(self) -> DuplicateModuleKeyError:
        return DuplicateModuleKeyError(self.key)

    @classmethod
    def live_duplicate(
        cls, using: str, identities: Sequence[tuple[Any, ...]], exclude: Iterable[Any] = ()
    ) -> DuplicateModuleKeyError | None:
        keys = [identity[0] for identity in identities]
        taken = cls.objects.using(using).filter(key__in=keys).exclude(pk__in=list(exclude))
        taken_keys = taken.values_list("key", flat=True)
        key = next(iter(taken_keys), None)
        return None if key is None else DuplicateModuleKeyError(key)


class OrgModuleState(TrackedModel):
    """One organization's override of a module's default: ``enabled`` wins over ``active``."""

    org = models.ForeignKey(
        conf.ORG_MODEL.label(), on_delete=models.CASCADE, related_name="module_states"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="org_states")
    enabled = models.BooleanField()

    objects: ClassVar[OrgModuleStateManager[OrgModuleState]] = OrgModuleStateManager()
    all_objects: ClassVar[OrgModuleStateManager[OrgModuleState]] = OrgModuleStateManager(rows="all")
    deleted_objects: ClassVar[OrgModuleStateManager[OrgModuleState]] = OrgModuleStateManager(
        rows="dead"
    )

    TOGGLE_FIELDS = ("org_id", "module_id", "enabled")
    WATCHED_FIELDS = frozenset({"org", "org_id", "module", "module_id", "enabled", "deleted_at"})

    class Meta:
        # _base_manager (Django's own paths, and anyone reaching for it) is guarded too.
        base_manager_name = "all_objects"
        verbose_name = "organization module state"
        constraints = [
            ConditionalUniqueConstraint(
                fields=["org", "module"],
                condition=Q(deleted_at__isnull=True),
                name="django_modules_orgmodulestate_live_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.module.key} for {self.org}: {'on' if self.enabled else 'off'}"

    @classmethod
    def cascaded_rows(cls, pks: Sequence[Any], using: str) -> list[tuple[type[TrackedModel], Any]]:
        return []

    def duplicate_error(self) -> DuplicateOverrideError:
        return DuplicateOverrideError(self.org, self.module)

    @classmethod
    def live_duplicate(
        cls, using: str, identities: Sequence[tuple[Any, ...]], exclude: Iterable[Any] = ()
    ) -> DuplicateOverrideError | None:
        # Normalized as the rows will come back (an id may arrive as a string).
        org_pk = cls._meta.get_field("org").target_field.to_python  # type: ignore[union-attr]
        module_pk = cls._meta.get_field("module").target_field.to_python  # type: ignore[union-attr]
        identities = [(org_pk(org_id), module_pk(module_id)) for org_id, module_id in identities]
        if not identities:
            return None
        # One query for the whole batch: a superset by org and module, matched pair by pair here.
        taken = cls.objects.using(using).filter(
            org_id__in={org_id for org_id, _module_id in identities},
            module_id__in={module_id for _org_id, module_id in identities},
        )
        taken = taken.exclude(pk__in=list(exclude)).select_related("org", "module")
        found = {(state.org_id, state.module_id): state for state in taken}
        for identity in identities:
            if (state := found.get(identity)) is not None:
                return DuplicateOverrideError(state.org, state.module)
        return None
