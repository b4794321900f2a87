"""The operations users call: start, stop, switch and clean up work sessions.

No function accepts a timestamp. Times come from the database's transaction clock on PostgreSQL
(read in the queries the services run anyway, and checked by the triggers of migration 0003) and
from ``server_now()``, the application server's clock, elsewhere. See ``django_worklog.clock``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models import Case, Value, When

from django_basemodels.query import SoftDeleteQuerySet
from django_worklog.clock import (
    DatabaseClock,
    database_keeps_time,
    server_now,
    stop_values,
)
from django_worklog.exceptions import InvalidArgumentError, NoActiveSession
from django_worklog.models import StopReason, WorkSession
from django_worklog.retry import retrying
from django_worklog.signals import session_started, session_stopped
from django_worklog.switch import running_and_clock, stop_switched
from django_worklog.validation import check_context, check_metadata, check_user

__all__ = [
    "get_active_session",
    "server_now",
    "start_session",
    "stop_session",
    "stop_stale_sessions",
]

# The longest age stop_stale_sessions() takes: further back, datetimes run out.
MAX_STALE_AGE = timedelta(days=36_500)


def start_session(user: Any, context: Any, metadata: dict[str, Any] | None = None) -> WorkSession:
    """Start ``user`` working on ``context``; a running session is stopped first (switch policy).

    Atomic. Concurrent calls for one user leave exactly one session running and never surface
    an IntegrityError: the database's one-active-session index decides between them, and a call
    that loses (another start got its session in first) runs again on what the winner left.
    """
    check_user(user)
    key = check_context(context)
    check_metadata(metadata)
    content_type = ContentType.objects.get_for_model(context)
    using = router.db_for_write(WorkSession)
    return retrying(using, lambda: _start(user, content_type, key, metadata or {}, using), user)


def _start(
    user: Any, content_type: ContentType, key: str, metadata: dict[str, Any], using: str
) -> WorkSession:
    """One attempt of start_session(): read the running session and the clock, stop the session
    (if nobody stopped it meanwhile), insert the new one; three statements. The signals go once
    the INSERT has passed the index, so a lost attempt (rolled back) has sent none."""
    with transaction.atomic(using=using):
        running, reading = running_and_clock(user, using)
        now = _after_locks(reading)
        stopped = False
        if running is not None:
            # Clocks of application servers, and the start times of transactions, may be out
            # of order: never stop before the start, never start before the last stop.
            now = max(now, running.started_at)
            stopped = stop_switched(running, now, using)
        session = WorkSession(
            user=user,
            context_content_type=content_type,
            context_id=key,
            started_at=now,  # on PostgreSQL the trigger sets it and the INSERT returns it
            metadata=metadata,
        )
        session._server_write = True  # the unique index refuses a second running session
        try:
            session.save(force_insert=True, using=using)
        finally:
            session._server_write = False
        if stopped:
            reason = str(StopReason.SWITCHED)
            session_stopped.send(sender=WorkSession, session=running, user=user, reason=reason)
        session_started.send(sender=WorkSession, session=session, user=user)
    return session


def stop_session(user: Any) -> WorkSession:
    """Stop the user's running session and return it; raises ``NoActiveSession`` if none."""
    check_user(user)
    using = router.db_for_write(WorkSession)

    def stop() -> WorkSession:
        with transaction.atomic(using=using):
            running, now = _active_for_update(user, using)
            if running is None:
                raise NoActiveSession(user)
            return _stop(running, now, str(StopReason.USER), user)

    return retrying(using, stop)


def get_active_session(user: Any) -> WorkSession | None:
    """The user's running session (never a soft-deleted one), or None. One query."""
    check_user(user)
    running: WorkSession | None = WorkSession.objects.filter(
        user=user, stopped_at__isnull=True
    ).first()
    return running


def stop_stale_sessions(older_than: timedelta) -> list[WorkSession]:
    """Stop every session running for longer than ``older_than``, recording the system as the
    one who stopped it. Returns the stopped sessions.

    Three queries whatever the number of sessions: lock them, fetch their users, one UPDATE.
    """
    if not isinstance(older_than, timedelta) or not timedelta(0) < older_than <= MAX_STALE_AGE:
        raise InvalidArgumentError(
            "older_than", older_than, f"a timedelta above 0 and at most {MAX_STALE_AGE.days} days"
        )
    using = router.db_for_write(WorkSession)
    with transaction.atomic(using=using):
        clock = _clock(using)
        started_before = clock - Value(older_than)
        return _stop_running(using, str(StopReason.SYSTEM), started_at__lt=started_before)


def _stop_selected(pks: list[Any]) -> list[WorkSession]:
    """Stop those of the sessions ``pks`` that are running, as their users would (the admin's
    action). Returns the stopped sessions."""
    using = router.db_for_write(WorkSession)
    with transaction.atomic(using=using):
        return _stop_running(using, str(StopReason.USER), pk__in=pks)


def _clock(using: str) -> models.Expression:
    """The clock as an SQL expression: the database's where it keeps time, else the server's."""
    if database_keeps_time(using):
        return DatabaseClock()
    return Value(server_now(), output_field=models.DateTimeField())


def _clock_column(using: str) -> models.Expression:
    """What a locking query selects as ``clock``: the database's clock where it keeps time;
    elsewhere a NULL that ``_after_locks()`` replaces with the application server's clock, read
    once the query has returned (a time taken before a lock wait can be older than the session
    it follows; and MariaDB would hand a selected parameter back as text)."""
    if database_keeps_time(using):
        return DatabaseClock()
    return Value(None, output_field=models.DateTimeField())


def _after_locks(reading: datetime | None) -> datetime:
    """The clock a locking query read, or the server's clock now that its locks are held."""
    return server_now() if reading is None else reading


def _clock_reading(session: WorkSession) -> datetime:
    """The clock of a row locked with ``.annotate(clock=_clock_column(using))`` (the stubs do
    not carry annotate() names over to the instances)."""
    reading: datetime | None = cast(Any, session).clock
    return _after_locks(reading)


def _stop_running(using: str, reason: str, **lookups: Any) -> list[WorkSession]:
    """Stop the running sessions that match ``lookups`` and return them; the caller holds the
    transaction. Three queries whatever the number of sessions: lock them (reading the clock),
    fetch their users, one UPDATE."""
    running = list(
        WorkSession.objects.using(using)
        .select_for_update()
        .filter(stopped_at__isnull=True, **lookups)
        .annotate(clock=_clock_column(using))
        .order_by("started_at")
    )
    if not running:
        return []
    now = _clock_reading(running[0])
    for session in running:
        session.stopped_at, session.duration_seconds = stop_values(session.started_at, now)
        session.stop_reason = reason
        session.updated_at = now
    field = WorkSession._meta.get_field

    def per_session(name: str) -> Case:
        whens = [When(pk=s.pk, then=Value(getattr(s, name))) for s in running]
        return Case(*whens, output_field=field(name))  # type: ignore[arg-type]

    # The queryset's own update() refuses the time fields to everyone else; this is the one
    # place that writes them in bulk (the database trigger checks each row on PostgreSQL).
    SoftDeleteQuerySet.update(
        WorkSession.objects.using(using).filter(
            pk__in=[s.pk for s in running], stopped_at__isnull=True
        ),
        stopped_at=per_session("stopped_at"),
        duration_seconds=per_session("duration_seconds"),
        stop_reason=reason,
        updated_at=now,
    )
    users = get_user_model()._default_manager.using(using).in_bulk({s.user_id for s in running})
    for session in running:
        session._remember_times()
        session_stopped.send(
            sender=WorkSession,
            session=session,
            user=users.get(session.user_id),
            reason=reason,
        )
    return running


def _active_for_update(user: Any, using: str) -> tuple[WorkSession | None, datetime]:
    """The user's running session, locked, and the clock (read in the same query)."""
    running = (
        WorkSession.objects.using(using)
        .select_for_update()
        .filter(user=user, stopped_at__isnull=True)
        .annotate(clock=_clock_column(using))
        .order_by()
        .first()
    )
    if running is None:
        return None, server_now()
    clock = _clock_reading(running)
    return running, clock


def _stop(session: WorkSession, now: datetime, reason: str, user: Any) -> WorkSession:
    session._record_stop(now, reason)
    session_stopped.send(sender=WorkSession, session=session, user=user, reason=reason)
    return session
