"""``SingletonModel``: an abstract model whose table holds exactly one row, pk=1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, router, transaction
from django.db.models.signals import class_prepared, pre_delete

from django_singleton import cache, values
from django_singleton.exceptions import (
    SingletonBulkCreateError,
    SingletonCreationError,
    SingletonDeletionError,
    SingletonValueError,
    SingletonViolationError,
)
from django_singleton.signals import singleton_changed

if TYPE_CHECKING:
    from typing_extensions import Self

_M = TypeVar("_M", bound=models.Model, covariant=True)

SINGLETON_PK = 1
CONSTRAINT_NAME = "%(app_label)s_%(class)s_singleton_pk"


def _singleton_constraint() -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(id=SINGLETON_PK), name=CONSTRAINT_NAME)


class SingletonQuerySet(models.QuerySet[_M]):
    """Refuses the paths that would delete the row or add others; ``update()`` invalidates."""

    def delete(self) -> Any:
        raise SingletonDeletionError(self.model)

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        raise SingletonBulkCreateError(self.model, len(list(objs)))

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    def update(self, **kwargs: Any) -> int:
        values.check_update(self.model, kwargs)
        count = super().update(**kwargs)
        cache.invalidate(self.model, self.db)
        if count:
            singleton_changed.send(sender=self.model, instance=None, using=self.db)
        return count

    update.alters_data = True  # type: ignore[attr-defined]


class SingletonModel(models.Model):
    """A settings-style model with exactly one row, read with ``get_instance()``.

    Every save writes pk=1 (a new instance overwrites the row), the database refuses any other
    pk (a CheckConstraint named ``<app_label>_<model>_singleton_pk``), and the row cannot be
    deleted. Give every field a default so that ``get_instance()`` can create the row.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, editable=False)

    objects = SingletonQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [_singleton_constraint()]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id = SINGLETON_PK
        values.check_instance(self)
        values.check_alias(type(self), kwargs.get("using"))
        super().save(*args, **kwargs)
        using = self._state.db or DEFAULT_DB_ALIAS
        cache.invalidate(type(self), using)
        singleton_changed.send(sender=type(self), instance=self, using=using)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SingletonDeletionError(type(self))

    delete.alters_data = True  # type: ignore[attr-defined]

    @classmethod
    def get_instance(cls, using: str | None = None) -> Self:
        """The one row: from the cache when configured, created from field defaults if missing.

        Safe under concurrent calls on an empty table: one caller inserts, the others read the
        row it inserted. Raises ``SingletonViolationError`` when the table holds other rows.
        """
        values.check_alias(cls, using)
        db = using or router.db_for_read(cls)
        cached, token = cache.read(cls, db)  # the token is taken before the database read
        if isinstance(cached, cls):
            return cached
        rows = list(cls.objects.using(db).order_by("pk"))
        rogue_pks = [row.pk for row in rows if row.pk != SINGLETON_PK]
        if rogue_pks:
            raise SingletonViolationError(cls, rogue_pks)
        write_db = using or router.db_for_write(cls)
        instance = rows[0] if rows else cls._create_from_defaults(write_db)
        cache.store(instance, db, token)
        return instance

    @classmethod
    def _create_from_defaults(cls, db: str) -> Self:
        try:
            with transaction.atomic(using=db):
                instance = cls(id=SINGLETON_PK)
                instance.save(force_insert=True, using=db)
                return instance
        except (IntegrityError, SingletonValueError) as error:
            # Either another caller inserted the row first (read theirs), or a field has no
            # usable default (the row is still missing: say so).
            try:
                existing: Self = cls.objects.using(db).get(pk=SINGLETON_PK)
                return existing
            except cls.DoesNotExist:
                raise SingletonCreationError(cls, error) from error


def _refuse_delete(sender: type, **kwargs: Any) -> None:
    """Also stops deletes that skip ``delete()``: cascades from a related row."""
    raise SingletonDeletionError(sender)


def _prepare_singleton(sender: type, **kwargs: Any) -> None:
    """Give every concrete subclass the pk=1 constraint and the delete guard.

    A subclass that declares its own ``class Meta`` without inheriting ours loses the
    abstract model's constraints, so the constraint is added here when it is missing.
    """
    if not issubclass(sender, SingletonModel) or sender._meta.abstract or sender._meta.proxy:
        return
    name = CONSTRAINT_NAME % {"app_label": sender._meta.app_label, "class": sender._meta.model_name}
    if not any(constraint.name == name for constraint in sender._meta.constraints):
        constraint = _singleton_constraint()
        constraint.name = name
        sender._meta.constraints = [*sender._meta.constraints, constraint]
    # Connected per model (not for every sender) so other models keep Django's fast delete path.
    uid = f"django_singleton:refuse-delete:{sender._meta.label}"
    pre_delete.connect(_refuse_delete, sender=sender, weak=False, dispatch_uid=uid)
    _guard_base_manager(sender)


def _guard_base_manager(model: type[models.Model]) -> None:
    """Make the default (guarded) manager the base manager too, so that
    ``Model._base_manager.update()`` invalidates the cache and its bulk paths stay refused.

    Set on ``_meta`` rather than in ``Meta``: when the base manager is the default manager,
    Django leaves both out of migrations, so no app needs a new migration for it.
    """
    if model._meta.base_manager_name:
        return  # the model chose its own
    default = model._meta.default_manager
    if default is None:
        return
    # Every Manager has the QuerySet class from_queryset() built it over; the stubs omit it.
    queryset_class: type[Any] = cast(Any, default)._queryset_class
    if issubclass(queryset_class, SingletonQuerySet):
        model._meta.base_manager_name = default.name


class_prepared.connect(_prepare_singleton, dispatch_uid="django_singleton:prepare")
