"""The Celery integration without a broker: the header written on publish, read in the task.

Publishing goes through Celery's in-memory transport, so the header is the one a real message
carries; the worker side runs through ``Task.apply()``, which sends the same prerun/postrun
signals a worker sends. ``test_celery_worker`` runs the whole path with RabbitMQ and a worker.
"""

import logging
import uuid

import pytest
from celery import Celery

from django_audit_log import audit_context, current_context, log_event
from django_audit_log.celery import (
    HEADER,
    AuditContextHeaderError,
    TaskAuditContext,
    carry_audit_context,
    decode,
    encode,
    stop_carrying_audit_context,
)
from django_audit_log.context import AuditContext
from django_audit_log.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    queue = f"audit-log-unit-{uuid.uuid4().hex}"
    app = Celery("audit_log_unit", broker="memory://", backend="cache+memory://")
    app.conf.task_default_queue = queue
    app.queue_name = queue
    carry_audit_context()
    yield app
    stop_carrying_audit_context()


@pytest.fixture
def tasks(app):
    seen = {}

    @app.task(name="unit.write_entry")
    def write_entry(action="task.ran"):
        seen["context"] = current_context()
        return str(log_event(action).pk)

    @app.task(name="unit.noop")
    def noop():
        seen["context"] = current_context()

    @app.task(name="unit.enqueue_another")
    def enqueue_another():
        noop.apply_async()

    @app.task(name="unit.fail")
    def fail():
        seen["context"] = current_context()
        raise RuntimeError("boom")

    return {
        "write_entry": write_entry,
        "noop": noop,
        "enqueue": enqueue_another,
        "fail": fail,
        "seen": seen,
    }


def published_headers(app):
    """The headers of the message waiting in the app's queue (removed from it)."""
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(app.queue_name)
        message = queue.get(timeout=1)
        message.ack()
        queue.close()
    return message.headers


def test_publish_writes_the_context_into_the_message(app, tasks, user):
    with audit_context(
        actor=user,
        request_id="req-1",
        ip_address="10.0.0.7",
        user_agent="curl/8",
        source="import",
        password="hunter2",
    ):
        tasks["write_entry"].apply_async()
    header = published_headers(app)[HEADER]
    assert header == {
        "v": 1,
        "actor_pk": str(user.pk),
        "actor_name": "alice",
        "request_id": "req-1",
        "ip_address": "10.0.0.7",
        "user_agent": "curl/8",
        "is_system": None,
        "extra": {"source": "import", "password": "[redacted]"},
    }


def test_publish_outside_any_context_adds_no_header(app, tasks):
    tasks["noop"].apply_async()
    assert HEADER not in published_headers(app)


def test_stop_carrying_disconnects_the_signals(app, tasks, user):
    stop_carrying_audit_context()
    with audit_context(actor=user):
        tasks["noop"].apply_async()
    assert HEADER not in published_headers(app)


def test_the_task_writes_an_entry_in_the_enqueuing_context(
    app, tasks, user, django_assert_num_queries
):
    with audit_context(actor=user, request_id="req-2", ip_address="10.0.0.8", user_agent="ua"):
        tasks["write_entry"].apply_async()
    header = published_headers(app)[HEADER]
    assert current_context() is None
    with django_assert_num_queries(2):  # the actor, read when the entry needs it, and the INSERT
        result = tasks["write_entry"].apply(headers={HEADER: header})
    entry = AuditLog.objects.get(pk=result.get())
    assert entry.actor_id == user.pk
    assert entry.actor_display == "alice"
    assert entry.request_id == "req-2"
    assert entry.ip_address == "10.0.0.8"
    assert entry.user_agent == "ua"
    assert entry.is_system is False
    assert current_context() is None  # postrun left it


def test_a_task_that_writes_nothing_reads_no_user(app, tasks, user, django_assert_num_queries):
    with audit_context(actor=user):
        tasks["noop"].apply_async()
    header = published_headers(app)[HEADER]
    with django_assert_num_queries(0):
        tasks["noop"].apply(headers={HEADER: header})
    assert tasks["seen"]["context"].actor_pk == user.pk


def test_a_failing_task_leaves_the_context_too(app, tasks, user):
    with audit_context(actor=user, request_id="req-7"):
        tasks["noop"].apply_async()
    header = published_headers(app)[HEADER]
    result = tasks["fail"].apply(headers={HEADER: header})
    assert isinstance(result.result, RuntimeError)
    assert tasks["seen"]["context"].request_id == "req-7"
    assert current_context() is None


def test_a_string_actor_travels_as_its_name(app, tasks):
    with audit_context(actor="cron:nightly", is_system=True):
        tasks["noop"].apply_async()
    header = published_headers(app)[HEADER]
    result = tasks["write_entry"].apply(headers={HEADER: header})
    entry = AuditLog.objects.get(pk=result.get())
    assert (entry.actor_id, entry.actor_display, entry.is_system) == (None, "cron:nightly", True)


def test_a_user_deleted_since_enqueueing_is_named_by_username(app, tasks, other_user):
    with audit_context(actor=other_user):
        tasks["noop"].apply_async()
    header = published_headers(app)[HEADER]
    other_user.delete()
    result = tasks["write_entry"].apply(headers={HEADER: header})
    entry = AuditLog.objects.get(pk=result.get())
    assert (entry.actor_id, entry.actor_display) == (None, "bob")


def test_a_request_enqueued_it_so_the_system_did_not(rf, user):
    request = rf.get("/")
    request.user = user
    header = encode(AuditContext(request=request, request_id="r"))
    assert (header["actor_pk"], header["is_system"]) == (str(user.pk), False)


def test_no_actor_travels_as_no_actor(app, tasks):
    with audit_context(request_id="req-6"):
        tasks["noop"].apply_async()
    header = published_headers(app)[HEADER]
    assert (header["actor_pk"], header["actor_name"]) == (None, "")
    result = tasks["write_entry"].apply(headers={HEADER: header})
    entry = AuditLog.objects.get(pk=result.get())
    assert (entry.actor_id, entry.actor_display, entry.request_id) == (None, "", "req-6")


def test_an_audit_context_inside_the_task_overrides_and_inherits(user, other_user):
    with audit_context(actor=user):
        header = encode(current_context())
    context = decode({**header, "request_id": "req-3"})
    from django_audit_log.context import enter, leave

    token = enter(context)
    try:
        with audit_context(actor=other_user, step="two") as inner:
            entry = log_event("inner")
        assert isinstance(inner, TaskAuditContext)
        outer_entry = log_event("outer")
    finally:
        leave(token)
    assert (entry.actor_id, entry.request_id, entry.metadata) == (
        other_user.pk,
        "req-3",
        {"step": "two"},
    )
    assert outer_entry.actor_id == user.pk


def test_a_task_enqueued_by_a_task_carries_the_context_on(app, tasks, user):
    with audit_context(actor=user, request_id="req-4"):
        tasks["enqueue"].apply_async()
    header = published_headers(app)[HEADER]
    tasks["enqueue"].apply(headers={HEADER: header})
    assert published_headers(app)[HEADER] == header


def test_an_eager_task_keeps_the_callers_context(tasks, user):
    with audit_context(actor=user, request_id="req-5"):
        result = tasks["write_entry"].apply()
    entry = AuditLog.objects.get(pk=result.get())
    assert (entry.actor_id, entry.request_id) == (user.pk, "req-5")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("text", "audit context header 'django_audit_log_context' = 'text' is not valid"),
        ({"v": 2}, "'v' = 2 is not valid; expected version 1"),
        ({"v": 1, "actor_pk": "not-a-number"}, "'actor_pk' = 'not-a-number' is not valid"),
        ({"v": 1, "actor_pk": 7}, "'actor_pk' = 7 is not valid; expected a string"),
        ({"v": 1, "request_id": "a b"}, "'request_id' = 'a b' is not valid"),
        ({"v": 1, "request_id": "x" * 129}, "expected a string of at most 128 characters"),
        ({"v": 1, "ip_address": "999.1.1.1"}, "'ip_address' = '999.1.1.1' is not valid"),
        ({"v": 1, "is_system": "yes"}, "'is_system' = 'yes' is not valid"),
        ({"v": 1, "extra": []}, "'extra' = [] is not valid; expected a mapping"),
        ({"v": 1, "user_agent": None}, "'user_agent' = None is not valid"),
    ],
)
def test_a_malformed_header_is_refused_with_what_is_wrong(header, message):
    with pytest.raises(AuditContextHeaderError, match=message.replace("[", r"\[")):
        decode(header)


def test_the_task_runs_without_context_when_the_header_is_malformed(tasks, caplog):
    with caplog.at_level(logging.ERROR, logger="django_audit_log.celery"):
        result = tasks["write_entry"].apply(headers={HEADER: {"v": 1, "request_id": "a b"}})
    entry = AuditLog.objects.get(pk=result.get())
    assert (entry.actor_id, entry.request_id, entry.is_system) == (None, "", True)
    assert "runs without audit context" in caplog.text
    assert "'request_id' = 'a b' is not valid" in caplog.text
