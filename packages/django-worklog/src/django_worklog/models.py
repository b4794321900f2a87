"""``WorkSession``: a span of work by one user on one context object, timed by the server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, router, transaction
from django.db.models import F, Q

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.markers import alters_data
from django_basemodels.models import BaseModel
from django_basemodels.query import SoftDeleteManager, SoftDeleteQuerySet
from django_worklog.clock import server_now, stop_values
from django_worklog.exceptions import (
    ImmutableSessionError,
    InvalidArgumentError,
    SessionAlreadyActiveError,
)
from django_worklog.fields import ServerTimeField

# Set by the server only: never through update()/bulk_update(), never changed once stopped.
TIMING_FIELDS = ("started_at", "stopped_at", "duration_seconds")
ONE_ACTIVE_CONSTRAINT = "worklog_one_active_session_per_user"


CONTEXT_ID_LENGTH = 255


def context_key(context: Any) -> str:
    """``context``'s primary key as stored in ``context_id``: ``str(pk)``, as Django's generic
    relations expect ("42", or the hyphenated UUID)."""
    return str(context.pk)


class StopReason(models.TextChoices):
    # str(StopReason.USER) is the stored value, "user".
    USER = "user", "stopped by the user"
    SWITCHED = "switched", "stopped by starting another session"
    SYSTEM = "system", "stopped by the system (left running)"


def is_one_active_violation(error: IntegrityError) -> bool:
    """Whether ``error`` is the database refusing a second active session for one user."""
    text = str(error)
    # PostgreSQL names the constraint; SQLite names the column of the partial unique index.
    return ONE_ACTIVE_CONSTRAINT in text or "worksession.user_id" in text


@contextmanager
def one_active_refused(user_id: Any, using: str) -> Iterator[None]:
    """Run a write in a savepoint and report a second active session as the package's error,
    not as a raw IntegrityError (a racing writer got there first)."""
    try:
        with transaction.atomic(using=using):
            yield
    except IntegrityError as error:
        if is_one_active_violation(error):
            raise SessionAlreadyActiveError(user_id) from error
        raise


class WorkSessionQuerySet(SoftDeleteQuerySet["WorkSession"]):
    """Soft delete plus guards: the bulk paths cannot set the server-owned times, and a write
    that would make a second session active for a user raises ``SessionAlreadyActiveError``."""

    def active(self) -> WorkSessionQuerySet:
        running: WorkSessionQuerySet = self.filter(stopped_at__isnull=True)
        return running

    def stopped(self) -> WorkSessionQuerySet:
        stopped: WorkSessionQuerySet = self.filter(stopped_at__isnull=False)
        return stopped

    @alters_data
    def update(self, **kwargs: Any) -> int:
        refused = sorted(set(kwargs) & set(TIMING_FIELDS))
        if refused:
            raise ImmutableSessionError(refused, via="QuerySet.update()")
        if "user" not in kwargs and "user_id" not in kwargs:
            return super().update(**kwargs)
        # Handing running sessions to another user may meet that user's running session.
        target = kwargs.get("user", kwargs.get("user_id"))
        with one_active_refused(getattr(target, "pk", target), self.db):
            return super().update(**kwargs)

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        refused = sorted(set(fields) & set(TIMING_FIELDS))
        if refused:
            raise ImmutableSessionError(refused, via="bulk_update()")
        return super().bulk_update(objs, fields, *args, **kwargs)

    @alters_data
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        # bulk_create() would accept any timestamps; sessions come from start_session() only.
        raise ImmutableSessionError(TIMING_FIELDS, via="bulk_create()")

    @alters_data
    def restore(self) -> int:
        """Restore soft-deleted sessions; a running one whose user has another running session
        (or a second one coming back) raises ``SessionAlreadyActiveError``."""
        with transaction.atomic(using=self.db):
            coming_back = list(
                self.filter(deleted_at__isnull=False, stopped_at__isnull=True).values_list(
                    "user_id", flat=True
                )
            )
            # The users' rows locked, in key order: a racing
            # restore of the same user's session waits here and then sees this one running
            # (without the lock, InnoDB picks one of two such restores as a deadlock's victim).
            locked = get_user_model()._base_manager.db_manager(self.db).select_for_update()
            list(locked.filter(pk__in=set(coming_back)).order_by("pk").values_list("pk"))
            twice = [user_id for user_id in coming_back if coming_back.count(user_id) > 1]
            running = self.model.objects.filter(
                user_id__in=coming_back, stopped_at__isnull=True
            ).values_list("user_id", flat=True)
            clash = twice or (list(running[:1]) if coming_back else [])
            if clash:
                raise SessionAlreadyActiveError(clash[0])
            # A session started meanwhile still meets the database's unique index.
            with one_active_refused(coming_back[0] if coming_back else None, self.db):
                return super().restore()


# One manager class over WorkSessionQuerySet gives the three managers (objects, all_objects,
# deleted_objects: basemodels' rows=), built here where the type checker follows from_queryset.
WorkSessionManager = SoftDeleteManager.from_queryset(WorkSessionQuerySet)


class WorkSession(BaseModel):
    """One user working on one context object (any model, integer or UUID key).

    ``started_at`` is set at start, ``stopped_at`` and ``duration_seconds`` together at stop, all
    from the server clock; after the stop none of them changes again (see migration 0002 for the
    database trigger that makes this hold for raw SQL too).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="work_sessions",
        db_index=False,  # worklog_user_started_deleted starts with it and serves its lookups
    )
    context_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # worklog_session_context starts with it and serves its lookups
    )
    context_id = models.CharField(max_length=CONTEXT_ID_LENGTH)
    context = GenericForeignKey("context_content_type", "context_id")
    # Set by the database trigger on PostgreSQL and read back by the INSERT (see clock.py).
    started_at = ServerTimeField(editable=False, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    stop_reason = models.CharField(
        max_length=16, choices=StopReason.choices, blank=True, editable=False
    )
    metadata = models.JSONField(default=dict, blank=True)

    objects: ClassVar[WorkSessionManager[WorkSession]] = WorkSessionManager()
    # all_objects is also the base manager (Meta below).
    all_objects: ClassVar[WorkSessionManager[WorkSession]] = WorkSessionManager(rows="all")
    deleted_objects: ClassVar[WorkSessionManager[WorkSession]] = WorkSessionManager(rows="dead")

    # Service handshake: set by start_session()/stop_session() for the one save that writes the
    # times they computed under their locks. Every other save() refuses to write times.
    _server_write = False

    class Meta:
        # Django's own paths (and _base_manager users) get the guarded queryset too.
        base_manager_name = "all_objects"
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["context_content_type", "context_id"], name="worklog_session_context"
            ),
            # One user's sessions newest first (the admin filtered by user), and the user's
            # lookups of the foreign key: a bounded index range, however long the history.
            # deleted_at, last, lets the admin count one user's live sessions from the index
            # alone (an index-only scan), without visiting each session's row.
            models.Index(
                fields=["user", "started_at", "deleted_at"], name="worklog_user_started_deleted"
            ),
        ]
        constraints = [
            ConditionalUniqueConstraint(
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
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> WorkSession:
        # **kwargs: Django 6.1 passes fetch_mode, earlier versions nothing.
        instance: WorkSession = super().from_db(db, field_names, values, **kwargs)
        instance._remember_times()
        return instance

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if not self._state.adding:
            self._refuse_changed_times()
            super().save(*args, **kwargs)
        elif self._server_write:
            # start_session(): the user's row is locked and the running session stopped.
            super().save(*args, **kwargs)
        else:
            self._prepare_new_row()
            kwargs["force_insert"] = True  # a new session never overwrites another row
            # Racing inserts for one user can deadlock on MariaDB (their duplicate checks lock
            # the same gap of the unique index): the victim runs again and then meets the
            # winner's session (SessionAlreadyActiveError).
            retrying_deadlocks(using, lambda: self._insert_running(using, args, kwargs))
        self._remember_times()

    def _insert_running(self, using: str, args: Any, kwargs: Any) -> None:
        """One try of inserting a running session, in its own transaction (or savepoint)."""
        with one_active_refused(self.user_id, using):
            super().save(*args, **kwargs)

    def _prepare_new_row(self) -> None:
        """A session saved outside start_session(): it starts now, running, on a valid context."""
        if self.user_id is None:
            raise InvalidArgumentError("user", None, "a saved user")
        if self.context_content_type_id is None:
            raise InvalidArgumentError("context_content_type", None, "a content type")
        if (
            not isinstance(self.context_id, str)
            or not 0 < len(self.context_id) <= CONTEXT_ID_LENGTH
        ):
            raise InvalidArgumentError(
                "context_id", self.context_id, "the context's primary key as text, 1-255 chars"
            )
        if not isinstance(self.metadata, dict):
            raise InvalidArgumentError("metadata", self.metadata, "a dict")
        self._refuse_second_active()
        given = [name for name in TIMING_FIELDS if getattr(self, name) is not None]
        if given:
            raise ImmutableSessionError(given, via="save() of a new session")
        self.started_at = server_now()  # the trigger replaces it with its clock on PostgreSQL

    @alters_data
    def _record_stop(self, now: datetime, reason: str) -> None:
        """Stop this running session at ``now`` (the services' clock reading): the one save
        that writes ``stopped_at`` and ``duration_seconds``."""
        self.stopped_at, self.duration_seconds = stop_values(self.started_at, now)
        self.stop_reason = reason
        self._server_write = True
        try:
            self.save(update_fields=["stopped_at", "duration_seconds", "stop_reason", "updated_at"])
        finally:
            self._server_write = False

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
        # Stopping a running session is the one change allowed (by the services): once.
        if stored["stopped_at"] is None and self._server_write:
            changed = [name for name in changed if name == "started_at"]
        if changed:
            raise ImmutableSessionError(changed, session=self)

    def _refuse_second_active(self) -> None:
        others = type(self).objects.filter(user_id=self.user_id, stopped_at__isnull=True)
        if others.exists():
            raise SessionAlreadyActiveError(self.user_id)


# Defined in its own module (read-only, kept by the database's triggers); imported here so that
# Django registers it with the app's models.
from django_worklog.totals import ContextTotal as ContextTotal  # noqa: E402
