"""Abstract models: ``UUIDModel``, ``TimeStampedModel``, ``SoftDeleteModel`` and ``BaseModel``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from django_basemodels.ids import new_uuid
from django_basemodels.query import AllObjectsManager, DeletedObjectsManager, SoftDeleteManager


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
    """

    deleted_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    objects = SoftDeleteManager()
    all_objects = AllObjectsManager()
    deleted_objects = DeletedObjectsManager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete(self, using: str | None = None, keep_parents: bool = False) -> tuple[int, dict]:
        """Soft-delete this row and what it cascades to; returns ``(count, {label: count})``."""
        moment = timezone.now()
        result = self._same_row(using).soft_delete_at(moment)
        if result[1][self._meta.label]:  # already deleted rows keep their own moment
            self.deleted_at = moment
            if hasattr(self, "updated_at"):
                self.updated_at = moment
        return result

    delete.alters_data = True

    def restore(self, using: str | None = None) -> int:
        """Undo a soft delete, bringing back what it took; returns 1, or 0 if alive already."""
        restored = self._same_row(using).restore()
        self.deleted_at = None
        return restored

    restore.alters_data = True

    def hard_delete(self, using: str | None = None, keep_parents: bool = False) -> tuple[int, dict]:
        """Remove the row from the database for real."""
        return super().delete(using=using, keep_parents=keep_parents)

    hard_delete.alters_data = True

    def _same_row(self, using: str | None = None):
        return type(self).all_objects.using(using or self._state.db).filter(pk=self.pk)


class BaseModel(UUIDModel, TimeStampedModel, SoftDeleteModel):
    """UUID key, timestamps and soft delete: the base of every domain model."""

    class Meta:
        abstract = True
