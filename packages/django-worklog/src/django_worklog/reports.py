"""Reporting helpers: each is one query, whatever the number of sessions.

A period is half-open, ``[start, end)``, and selects sessions by when they started. Running
sessions have no duration yet and count as zero. ``total_seconds_per_context()`` without a
period reads the totals the database keeps (``ContextTotal``), not every session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import QuerySet, Sum

from django_worklog.models import ContextTotal, WorkSession, WorkSessionQuerySet, context_key
from django_worklog.validation import check_context, check_period, check_user


def _in_period(
    queryset: WorkSessionQuerySet, start: datetime | None, end: datetime | None
) -> WorkSessionQuerySet:
    check_period(start, end)
    if start is not None:
        queryset = queryset.filter(started_at__gte=start)
    if end is not None:
        queryset = queryset.filter(started_at__lt=end)
    return queryset


def _for_context(queryset: WorkSessionQuerySet, context: Any) -> WorkSessionQuerySet:
    check_context(context)
    content_type = ContentType.objects.get_for_model(context)
    on_context: WorkSessionQuerySet = queryset.filter(
        context_content_type=content_type, context_id=context_key(context)
    )
    return on_context


def sessions_for_context(
    context: Any, start: datetime | None = None, end: datetime | None = None
) -> WorkSessionQuerySet:
    """Sessions on ``context``, newest first, with their users (one query when evaluated)."""
    return _in_period(_for_context(WorkSession.objects.select_related("user"), context), start, end)


def total_seconds_for_context(
    context: Any, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Seconds worked on ``context`` by everyone."""
    queryset = _in_period(_for_context(WorkSession.objects.all(), context), start, end)
    return queryset.aggregate(total=Sum("duration_seconds"))["total"] or 0


def total_seconds_per_user(
    start: datetime | None = None, end: datetime | None = None, context: Any = None
) -> dict[Any, int]:
    """``{user pk: seconds}`` over the period, optionally on one context."""
    queryset = _in_period(WorkSession.objects.all(), start, end)
    if context is not None:
        queryset = _for_context(queryset, context)
    rows = queryset.order_by().values("user").annotate(total=Sum("duration_seconds"))
    return {row["user"]: row["total"] or 0 for row in rows}


def total_seconds_per_context(
    start: datetime | None = None, end: datetime | None = None, user: Any = None
) -> dict[tuple[str, str], int]:
    """``{("app_label.model", context pk as text): seconds}`` over the period, optionally for
    one user."""
    check_period(start, end)
    if user is not None:
        check_user(user)
    rows: QuerySet[Any, dict[str, Any]]
    if start is None and end is None and _totals_kept():
        # All time: the (user, context) rows the triggers keep, as many as the pairs that ever
        # worked together, however many sessions they hold.
        totals = ContextTotal.objects.filter(sessions__gt=0)
        if user is not None:
            totals = totals.filter(user=user)
        rows = _per_context(totals, "seconds")
    else:
        sessions = _in_period(WorkSession.objects.all(), start, end)
        if user is not None:
            sessions = sessions.filter(user=user)
        rows = _per_context(sessions, "duration_seconds")
    return {
        (_label(row["context_content_type"]), row["context_id"]): row["total"] or 0 for row in rows
    }


def _per_context(queryset: QuerySet[Any], seconds: str) -> QuerySet[Any, dict[str, Any]]:
    # Grouped by the rows' own two columns: one hash aggregate as small as the number of
    # contexts, where grouping by the joined content type's text columns sorted every session
    # (and spilled to disk past a million). The labels come from ContentType's cache.
    grouped: QuerySet[Any, dict[str, Any]] = (
        queryset.order_by()
        .values("context_content_type", "context_id")
        .annotate(total=Sum(seconds))
    )
    return grouped


def _totals_kept() -> bool:
    """Whether migration 0006's triggers keep ``ContextTotal`` on the database read from."""
    return connections[router.db_for_read(ContextTotal)].vendor in ("postgresql", "mysql", "sqlite")


def _label(content_type_id: int) -> str:
    """``"app_label.model"`` of a content type (cached by Django after its first lookup)."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"
