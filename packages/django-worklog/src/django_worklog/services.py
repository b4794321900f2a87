"""The operations users call: start, stop, switch and clean up work sessions.

Every time comes from the server clock (``server_now()``); no function accepts a timestamp.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from django_basemodels.query import SoftDeleteQuerySet
from django_worklog.exceptions import InvalidContextError, NoActiveSession
from django_worklog.models import StopReason, WorkSession, context_key
from django_worklog.signals import session_started, session_stopped


def server_now() -> datetime:
    """The server clock: the one source of every time this package writes."""
    return timezone.now()


def start_session(user: Any, context: Any, metadata: dict | None = None) -> WorkSession:
    """Start ``user`` working on ``context``; a running session is stopped first (switch policy).

    Atomic, and serialized per user by a row lock on the user, so concurrent calls for one user
    leave exactly one session running and never surface an IntegrityError.
    """
    if getattr(context, "pk", None) is None or not hasattr(context, "_meta"):
        raise InvalidContextError(context)
    content_type = ContentType.objects.get_for_model(context)
    with transaction.atomic():
        _lock_user(user)
        now = server_now()
        running = _active_for_update(user)
        if running is not None:
            # Application servers' clocks may disagree slightly: never stop before the start.
            now = max(now, running.started_at)
            _stop(running, now, StopReason.SWITCHED, user)
        session = WorkSession(
            user=user,
            context_content_type=content_type,
            context_id=context_key(context),
            started_at=now,
            metadata=metadata or {},
        )
        session._active_checked = True  # checked above, under the user's lock
        session.save(force_insert=True)
        session_started.send(sender=WorkSession, session=session, user=user)
    return session


def stop_session(user: Any) -> WorkSession:
    """Stop the user's running session and return it; raises ``NoActiveSession`` if none."""
    with transaction.atomic():
        running = _active_for_update(user)
        if running is None:
            raise NoActiveSession(user)
        return _stop(running, server_now(), StopReason.USER, user)


def get_active_session(user: Any) -> WorkSession | None:
    """The user's running session (never a soft-deleted one), or None. One query."""
    return WorkSession.objects.filter(user=user, stopped_at__isnull=True).first()


def stop_stale_sessions(older_than: timedelta) -> list[WorkSession]:
    """Stop every session running for longer than ``older_than``, recording the system as the
    one who stopped it. Returns the stopped sessions.

    Three queries whatever the number of sessions: lock them, fetch their users, one UPDATE.
    """
    with transaction.atomic():
        now = server_now()
        return _stop_running(now, StopReason.SYSTEM, started_at__lt=now - older_than)


def _stop_selected(pks: list[Any]) -> list[WorkSession]:
    """Stop those of the sessions ``pks`` that are running, as their users would (the admin's
    action). Returns the stopped sessions."""
    with transaction.atomic():
        return _stop_running(server_now(), StopReason.USER, pk__in=pks)


def _stop_running(now: datetime, reason: str, **lookups: Any) -> list[WorkSession]:
    """Stop the running sessions that match ``lookups`` and return them; the caller holds the
    transaction. Three queries whatever the number of sessions: lock them, fetch their users,
    one UPDATE."""
    running = list(
        WorkSession.objects.select_for_update()
        .filter(stopped_at__isnull=True, **lookups)
        .order_by("started_at")
    )
    if not running:
        return []
    for session in running:
        _mark_stopped(session, now, reason)
        session.updated_at = now
    durations = Case(
        *(When(pk=session.pk, then=Value(session.duration_seconds)) for session in running),
        output_field=WorkSession._meta.get_field("duration_seconds"),
    )
    # The queryset's own update() refuses the time fields to everyone else; this is the one
    # place that writes them in bulk (the database trigger still guards stopped rows).
    SoftDeleteQuerySet.update(
        WorkSession.objects.filter(pk__in=[s.pk for s in running], stopped_at__isnull=True),
        stopped_at=now,
        duration_seconds=durations,
        stop_reason=reason,
        updated_at=now,
    )
    users = get_user_model()._default_manager.in_bulk({s.user_id for s in running})
    for session in running:
        session._remember_times()
        session_stopped.send(
            sender=WorkSession,
            session=session,
            user=users.get(session.user_id),
            reason=reason,
        )
    return running


def _lock_user(user: Any) -> None:
    user_model = get_user_model()
    # The base manager: a custom default manager might hide the row (inactive users, say).
    list(user_model._base_manager.select_for_update().filter(pk=user.pk).values_list("pk"))


def _active_for_update(user: Any) -> WorkSession | None:
    return (
        WorkSession.objects.select_for_update()
        .filter(user=user, stopped_at__isnull=True)
        .order_by()
        .first()
    )


def _mark_stopped(session: WorkSession, now: datetime, reason: str) -> None:
    session.stopped_at = max(now, session.started_at)  # never before the start
    session.duration_seconds = int((session.stopped_at - session.started_at).total_seconds())
    session.stop_reason = reason


def _stop(session: WorkSession, now: datetime, reason: str, user: Any) -> WorkSession:
    _mark_stopped(session, now, reason)
    session.save(update_fields=["stopped_at", "duration_seconds", "stop_reason", "updated_at"])
    session_stopped.send(sender=WorkSession, session=session, user=user, reason=reason)
    return session
