"""``WorkSession``: a span of work by one user on one context object, timed by the server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from django_basemodels.models import BaseModel
from django_basemodels.query import (
    AllObjectsManager,
    DeletedObjectsManager,
    SoftDeleteManager,
    SoftDeleteQuerySet,
)
from django_worklog.exceptions import ImmutableSessionError, SessionAlreadyActiveError

# Set by the server only: never through update()/bulk_update(), never changed once stopped.
TIMING_FIELDS = ("started_at", "stopped_at", "duration_seconds")
ONE_ACTIVE_CONSTRAINT = "worklog_one_active_session_per_user"


def context_key(context: Any) -> str:
    """``context``'s primary key as stored in ``context_id``: ``str(pk)``, as Django's generic
    relations expect ("42", or the hyphenated UUID)."""
    return str(context.pk)


class StopReason(models.TextChoices):
    USER = "user", "stopped by the user"
    SWITCHED = "switched", "stopped by starting another session"
    SYSTEM = "system", "stopped by the system (left running)"


class WorkSessionQuerySet(SoftDeleteQuerySet):
    """Soft delete plus guards: the bulk paths cannot set the server-owned times."""

    def active(self) -> WorkSessionQuerySet:
        return self.filter(stopped_at__isnull=True)

    def stopped(self) -> WorkSessionQuerySet:
        return self.filter(stopped_at__isnull=False)

    def update(self, **kwargs: Any) -> int:
        refused = sorted(set(kwargs) & set(TIMING_FIELDS))
        if refused:
            raise ImmutableSessionError(refused, via="QuerySet.update()")
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        refused = sorted(set(fields) & set(TIMING_FIELDS))
        if refused:
            raise ImmutableSessionError(refused, via="bulk_update()")
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        # bulk_create() would accept any timestamps; sessions come from start_session() only.
        raise ImmutableSessionError(TIMING_FIELDS, via="bulk_create()")

    bulk_create.alters_data = True


class WorkSession(BaseModel):
    """One user working on one context object (any model, integer or UUID key).

    ``started_at`` is set at start, ``stopped_at`` and ``duration_seconds`` together at stop, all
    from the server clock; after the stop none of them changes again (see migration 0002 for the
    database trigger that makes this hold for raw SQL too).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_sessions"
    )
    context_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    context_id = models.CharField(max_length=255)
    context = GenericForeignKey("context_content_type", "context_id")
    started_at = models.DateTimeField(editable=False, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    stop_reason = models.CharField(
        max_length=16, choices=StopReason.choices, blank=True, editable=False
    )
    metadata = models.JSONField(default=dict, blank=True)

    objects = SoftDeleteManager.from_queryset(WorkSessionQuerySet)()
    all_objects = AllObjectsManager.from_queryset(WorkSessionQuerySet)()
    deleted_objects = DeletedObjectsManager.from_queryset(WorkSessionQuerySet)()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["context_content_type", "context_id"], name="worklog_session_context"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(stopped_at__isnull=True, deleted_at__isnull=True),
                name=ONE_ACTIVE_CONSTRAINT,
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True, duration_seconds__isnull=True)
                | Q(stopped_at__isnull=False, duration_seconds__isnull=False),
                name="worklog_stop_and_duration_together",
            ),
            models.CheckConstraint(
                condition=Q(stopped_at__isnull=True) | Q(stopped_at__gte=F("started_at")),
                name="worklog_stop_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        state = f"{self.duration_seconds}s" if self.is_stopped else "running"
        # ContentType.objects caches by id: no query after the first for each model.
        context_type = ContentType.objects.get_for_id(self.context_content_type_id)
        context = f"{context_type.app_label}.{context_type.model} {self.context_id}"
        return f"{self.user} on {context} ({state})"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None and self.deleted_at is None

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None

    @classmethod
    def from_db(cls, db: str, field_names: Any, values: Any, **kwargs: Any) -> WorkSession:
        # **kwargs: Django 6.1 passes fetch_mode, earlier versions nothing.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_times()
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            if self.stopped_at is None and not getattr(self, "_active_checked", False):
                self._refuse_second_active()
        else:
            self._refuse_changed_times()
        super().save(*args, **kwargs)
        self._remember_times()

    save.alters_data = True

    def _remember_times(self) -> None:
        # Deferred fields are absent from __dict__; they cannot have been changed either.
        self._stored_times = {name: self.__dict__.get(name) for name in TIMING_FIELDS}

    def _refuse_changed_times(self) -> None:
        stored = getattr(self, "_stored_times", None)
        if stored is None:
            return
        changed = [
            name
            for name in TIMING_FIELDS
            if name in self.__dict__ and self.__dict__[name] != stored[name]
        ]
        # Stopping a running session is the one change allowed: stopped_at and duration, once.
        if stored["stopped_at"] is None:
            changed = [name for name in changed if name == "started_at"]
        if changed:
            raise ImmutableSessionError(changed, session=self)

    def _refuse_second_active(self) -> None:
        others = type(self).objects.filter(user_id=self.user_id, stopped_at__isnull=True)
        if others.exists():
            raise SessionAlreadyActiveError(self.user_id)
