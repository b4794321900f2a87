"""django-worklog: the start_session() switch and the per-user total report.

No peer package does server-side session timing, so the baselines are what an app writes by
hand, measured in the same run:

- switch: start_session() (the running session read with the clock and stopped, the new one
  inserted under the one-active-session constraint and the triggers) against a plain model:
  stop the running row, insert a new one, in one transaction, without lock or constraint;
- stale stop: stop_stale_sessions() (one UPDATE for every stale session) against
  stop_session() user by user;
- report: total_seconds_per_user() (one GROUP BY query) against summing the sessions in Python.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import itertools
from collections.abc import Iterator
from importlib import import_module

from benchapp.models import Organization, PlainSession
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from django_worklog import WorkSession, start_session, stop_session, stop_stale_sessions
from django_worklog.reports import total_seconds_per_user

PACKAGE = "django-worklog"


@contextlib.contextmanager
def past_timings() -> Iterator[None]:
    """Let the bench write sessions with times of its choosing (the database keeps the clock).

    PostgreSQL: the triggers are off for this transaction (``session_replication_role``, as the
    bench's superuser). SQLite: the trigger that refuses stopped inserts is dropped and put back.
    """
    clock = import_module("django_worklog.migrations.0003_server_clock")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
        else:
            cursor.execute(clock.SQLITE_DROP)
            yield
            cursor.execute(clock.SQLITE_CREATE)


def seed_sessions(users, context, count: int) -> None:
    """Stopped sessions written directly (start_session() would take minutes for 10,000)."""
    content_type = ContentType.objects.get_for_model(context)
    start = timezone.now() - datetime.timedelta(days=30)
    sessions = []
    for i in range(count):
        started = start + datetime.timedelta(minutes=i)
        sessions.append(
            WorkSession(
                user=users[i % len(users)],
                context_content_type=content_type,
                context_id=str(context.pk),
                started_at=started,
                stopped_at=started + datetime.timedelta(seconds=60 + i % 600),
                duration_seconds=60 + i % 600,
                stop_reason="user",
            )
        )
    # WorkSession.objects.bulk_create() refuses (timings come from start_session() only).
    with past_timings():
        models.QuerySet(WorkSession).bulk_create(sessions, batch_size=500)


def plain_switch(user, context_id: str) -> PlainSession:
    now = timezone.now()
    with transaction.atomic():
        running = PlainSession.objects.filter(user=user, stopped_at__isnull=True).first()
        if running is not None:
            running.stopped_at = now
            running.duration_seconds = int((now - running.started_at).total_seconds())
            running.save(update_fields=["stopped_at", "duration_seconds"])
        return PlainSession.objects.create(user=user, context_id=context_id, started_at=now)


def python_totals() -> dict:
    totals: dict = collections.defaultdict(int)
    for session in WorkSession.objects.all():
        totals[session.user_id] += session.duration_seconds or 0
    return dict(totals)


def stale(users: int, stop):
    """``users`` new users, each with a session running for a day; the action stops them."""
    User = get_user_model()
    batches = itertools.count()

    def prepare():
        batch = next(batches)
        people = User.objects.bulk_create(
            [User(username=f"stale{id(stop)}-{batch}-{i}") for i in range(users)]
        )
        context = Organization.objects.create(name=f"stale {batch}")
        content_type = ContentType.objects.get_for_model(context)
        started = timezone.now() - datetime.timedelta(days=1)
        with past_timings():
            models.QuerySet(WorkSession).bulk_create(
                WorkSession(
                    user=person,
                    context_content_type=content_type,
                    context_id=str(context.pk),
                    started_at=started,
                )
                for person in people
            )
        return lambda: stop(people)

    return prepare


def stop_all(people) -> None:
    stop_stale_sessions(datetime.timedelta(hours=1))  # every stale session, in one UPDATE


def stop_each(people) -> None:
    for person in people:
        stop_session(person)


def run(bench) -> None:
    User = get_user_model()
    users = [User.objects.create(username=f"worker{i}") for i in range(50)]
    contexts = [Organization.objects.create(name=f"desk {i}") for i in range(2)]
    sessions = bench.sizes.pick(10_000, 100)
    seed_sessions(users, contexts[0], sessions)
    assert total_seconds_per_user() == dict(python_totals())
    bench.pair(
        f"total_seconds_per_user(), {sessions:,} sessions",
        "sum in Python",
        lambda: total_seconds_per_user,
        lambda: python_totals,
    )

    stale_users = bench.sizes.pick(1000, 5)
    bench.pair(
        f"stop_stale_sessions(), {stale_users:,} users",
        "stop_session() per user",
        stale(stale_users, stop_all),
        stale(stale_users, stop_each),
    )

    switches = bench.sizes.pick(300, 4)
    user = User.objects.create(username="switcher")
    start_session(user, contexts[1]), plain_switch(user, "1")  # a running session to switch from

    def ours():
        for i in range(switches):
            start_session(user, contexts[i % 2])

    def plain():
        for i in range(switches):
            plain_switch(user, str(contexts[i % 2].pk))

    bench.pair(
        "start_session() switch",
        "plain model, no lock or constraint",
        lambda: ours,
        lambda: plain,
        ops=switches,
    )
