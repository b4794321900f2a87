"""Bad input to every public function and to the model: the package's own error, naming the
value and what was expected, and nothing written."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from django_worklog.exceptions import InvalidArgumentError, WorkLogError
from django_worklog.models import WorkSession
from django_worklog.reports import (
    sessions_for_context,
    total_seconds_for_context,
    total_seconds_per_context,
    total_seconds_per_user,
)
from django_worklog.services import (
    get_active_session,
    start_session,
    stop_session,
    stop_stale_sessions,
)
from tests.testapp.models import LabWork, RepairJob, Ticket

pytestmark = pytest.mark.django_db

NAIVE = datetime(2026, 3, 1, 8, 0)


def unsaved_user():
    return get_user_model()(username="ghost")


def new_row(user, job, **changes):
    fields = {
        "user": user,
        "context_content_type": ContentType.objects.get_for_model(job),
        "context_id": str(job.pk),
        **changes,
    }
    return lambda: WorkSession.objects.create(**fields)


# (id, call given the fixtures, text the message must contain)
CASES = [
    ("start: user None", lambda f: start_session(None, f.job), "user None"),
    ("start: user a string", lambda f: start_session("sam", f.job), "user 'sam'"),
    ("start: user unsaved", lambda f: start_session(unsaved_user(), f.job), "saved"),
    ("start: anonymous user", lambda f: start_session(AnonymousUser(), f.job), "AnonymousUser"),
    ("start: context None", lambda f: start_session(f.user, None), "context None"),
    ("start: context a string", lambda f: start_session(f.user, "job-17"), "'job-17'"),
    ("start: context unsaved", lambda f: start_session(f.user, RepairJob()), "saved"),
    ("start: context unsaved uuid", lambda f: start_session(f.user, LabWork()), "saved"),
    ("start: context a class", lambda f: start_session(f.user, RepairJob), "RepairJob"),
    ("start: context key too long", lambda f: start_session(f.user, f.ticket), "at most 255"),
    ("start: metadata a string", lambda f: start_session(f.user, f.job, "x"), "a dict"),
    ("start: metadata not JSON", lambda f: start_session(f.user, f.job, {"o": {1, 2}}), "JSON"),
    ("stop: user None", lambda f: stop_session(None), "user None"),
    ("stop: user unsaved", lambda f: stop_session(unsaved_user()), "saved"),
    ("active: user an int", lambda f: get_active_session(5), "user 5"),
    ("stale: None", lambda f: stop_stale_sessions(None), "older_than None"),
    ("stale: an int", lambda f: stop_stale_sessions(12), "a timedelta"),
    ("stale: zero", lambda f: stop_stale_sessions(timedelta(0)), "above 0"),
    ("stale: negative", lambda f: stop_stale_sessions(timedelta(hours=-1)), "above 0"),
    ("stale: out of range", lambda f: stop_stale_sessions(timedelta(days=10**6)), "36500"),
    ("report: context None", lambda f: sessions_for_context(None), "context None"),
    ("report: naive start", lambda f: sessions_for_context(f.job, start=NAIVE), "aware"),
    ("report: text end", lambda f: total_seconds_for_context(f.job, end="2026"), "end '2026'"),
    ("report: naive end", lambda f: total_seconds_per_user(end=NAIVE), "aware"),
    ("report: user a string", lambda f: total_seconds_per_context(user="sam"), "user 'sam'"),
    ("create: no user", lambda f: new_row(None, f.job)(), "user None"),
    ("create: key too long", lambda f: new_row(f.user, f.job, context_id="9" * 256)(), "255"),
    ("create: metadata a list", lambda f: new_row(f.user, f.job, metadata=[1])(), "a dict"),
    (
        "create: a start time",
        lambda f: new_row(f.user, f.job, started_at=NAIVE)(),
        "server clock",
    ),
]


class Fixtures:
    def __init__(self, user, job):
        self.user = user
        self.job = job
        self.ticket = Ticket.objects.create(code="T" * 300)


@pytest.fixture
def f(user, other_user, job, lab_work):
    start_session(other_user, lab_work)  # something to leave alone
    return Fixtures(user, job)


def snapshot():
    return list(WorkSession.all_objects.order_by("pk").values())


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_nothing_is_written(f, call, message):
    before = snapshot()
    with pytest.raises(WorkLogError) as caught:
        call(f)
    assert message in str(caught.value)
    assert "expected" in str(caught.value)
    assert snapshot() == before


def test_invalid_argument_errors_carry_the_value():
    with pytest.raises(InvalidArgumentError) as caught:
        stop_stale_sessions(7)
    assert (caught.value.argument, caught.value.value) == ("older_than", 7)
