"""A request enqueues a task; a real Celery worker process runs it against RabbitMQ.

PostgreSQL only: the worker is another process and must see the rows the test writes (SQLite's
in-memory test database lives inside the test process). The broker is the RabbitMQ server at
127.0.0.1:5672 (``scripts/ensure-rabbitmq`` starts it; CI requires it).
"""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from django_audit_log.celery import carry_audit_context
from django_audit_log.models import AuditLog

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]
BROKER = "amqp://guest:guest@127.0.0.1:5672//"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# A bound on waiting for the worker to start and answer, not a measure of speed.
RESULT_TIMEOUT = 180


def rabbitmq_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def worker_queue():
    """A worker process consuming a queue of its own, on the test database."""
    if not rabbitmq_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("RabbitMQ is required under CI=true and 127.0.0.1:5672 does not answer")
        pytest.skip("RabbitMQ is not reachable at 127.0.0.1:5672 (run scripts/ensure-rabbitmq)")
    queue = f"audit-log-worker-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "AUDIT_LOG_CELERY_BROKER": BROKER,
        "AUDIT_LOG_CELERY_QUEUE": queue,
        "AUDIT_LOG_CELERY_DATABASE": connection.settings_dict["NAME"],
        "DJANGO_SETTINGS_MODULE": "tests.celery_worker_settings",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.celery_app",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=PACKAGE_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    from tests.celery_app import app

    app.conf.task_default_queue = queue
    carry_audit_context()  # as tests.celery_app did, in case another test disconnected it
    try:
        yield queue
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=60)
        print(output)  # shown by pytest when the test failed
        with app.connection_for_write() as broker:
            broker.default_channel.queue_delete(queue)


def test_a_task_enqueued_by_a_request_names_its_actor_and_request_id(worker_queue, user, client):
    from tests.celery_app import write_entry

    client.force_login(user)
    with override_settings(ROOT_URLCONF="tests.celery_urls"):
        response = client.get("/enqueue/", HTTP_X_REQUEST_ID="req-celery-1")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-celery-1"
    reported = write_entry.AsyncResult(response.json()["task"]).get(timeout=RESULT_TIMEOUT)
    entry = AuditLog.objects.get(pk=reported["entry"])
    assert entry.action == "task.from_request"
    assert entry.actor_id == user.pk
    assert entry.actor_display == "alice"
    assert entry.request_id == "req-celery-1"
    assert entry.ip_address == "127.0.0.1"
    assert entry.is_system is False
    assert reported == {"entry": str(entry.pk), "actor_id": user.pk, "request_id": "req-celery-1"}
