"""Abstract models: ``UUIDModel``, ``TimeStampedModel``, ``SoftDeleteModel`` and ``BaseModel``;
and ``DeletionRecord``, the one concrete table, which remembers which operation took which row
(defined in ``records``, with the statements that use it)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from django_basemodels import records
from django_basemodels.exceptions import SoftDeleteBypassError, UnsavedRowError
from django_basemodels.ids import new_uuid
from django_basemodels.markers import alters_data
from django_basemodels.query import SoftDeleteManager
from django_basemodels.records import DeletionRecord

__all__ = ["BaseModel", "DeletionRecord", "SoftDeleteModel", "TimeStampedModel", "UUIDModel"]

if TYPE_CHECKING:
    from typing_extensions import Self


class UUIDModel(models.Model):
    """A UUID primary key, time-ordered (v7) by default; see ``django_basemodels.ids``."""

    id = models.UUIDField(primary_key=True, default=new_uuid, editable=False)

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    """``created_at`` (indexed, set once) and ``updated_at`` (set on every save)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SoftDeleteModel(models.Model):
    """Rows are marked deleted (``deleted_at``) instead of removed.

    ``objects`` hides deleted rows, ``all_objects`` shows every row and ``deleted_objects`` only
    the deleted ones. ``objects`` is declared first, so it is the default manager and related
    managers hide deleted rows too.

    ``deleted_at`` is written by ``delete()`` and ``restore()`` only: ``save()`` refuses a value
    that differs from the one the row holds, since it would skip the cascade.
    """

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    # What the cascade (``cascade.is_soft_deletable``) recognises soft-deletable models by.
    soft_deletable: ClassVar[bool] = True

    objects = SoftDeleteManager()
    all_objects = SoftDeleteManager(rows="all")
    deleted_objects = SoftDeleteManager(rows="dead")

    # The deleted_at the database holds for this instance's row, as far as this instance knows.
    _stored_deleted_at: datetime | None = None

    class Meta:
        abstract = True

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        # A deferred deleted_at (only()/defer()) is not written by Django's save either.
        loaded = "deleted_at" in self.__dict__
        writes_deleted_at = loaded and (update_fields is None or "deleted_at" in update_fields)
        if writes_deleted_at and self.deleted_at != self._stored_deleted_at:
            raise SoftDeleteBypassError(type(self), "save()")
        super().save(*args, **kwargs)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance: Self = super().from_db(db, field_names, values, **kwargs)
        instance._stored_deleted_at = instance.__dict__.get("deleted_at")
        return instance

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet[Self] | None = None,
    ) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "deleted_at" in fields:
            self._stored_deleted_at = self.deleted_at

    @alters_data
    def delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Soft-delete this row and what it cascades to; returns ``(count, {label: count})``."""
        moment = timezone.now()
        result: tuple[int, dict[str, int]] = self._same_row(using).soft_delete_at(moment)
        if result[1][self._meta.label]:  # already deleted rows keep their own moment
            self.deleted_at = self._stored_deleted_at = moment
            if hasattr(self, "updated_at"):
                self.updated_at = moment
        else:
            self._refuse_if_unsaved(using, "delete")
        return result

    @alters_data
    def restore(self, using: str | None = None) -> int:
        """Undo a soft delete, bringing back what it took; returns 1, or 0 if alive already."""
        restored: int = self._same_row(using).restore()
        if not restored:
            self._refuse_if_unsaved(using, "restore")
        self.deleted_at = self._stored_deleted_at = None
        return restored

    @alters_data
    def hard_delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Remove the row from the database for real (with the operation records of the
        soft-deleted rows that go with it)."""
        db = using or self._state.db or DEFAULT_DB_ALIAS
        with transaction.atomic(using=db, savepoint=False):
            result = super().delete(using=using, keep_parents=keep_parents)
            records.forget_missing(result[1], db)
        return result

    def _refuse_if_unsaved(self, using: str | None, operation: str) -> None:
        """Nothing was written: fine for a row that is already deleted (or alive, for restore),
        an error for an instance that has no row at all. Only instances never loaded nor saved
        cost the query that tells them apart."""
        if self._state.adding and not self._same_row(using).exists():
            raise UnsavedRowError(self, operation)

    def _same_row(self, using: str | None = None) -> Any:
        return type(self).all_objects.using(using or self._state.db).filter(pk=self.pk)


class BaseModel(UUIDModel, TimeStampedModel, SoftDeleteModel):
    """UUID key, timestamps and soft delete: the base of every domain model."""

    class Meta:
        abstract = True
