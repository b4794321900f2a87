"""The Celery app of the suite: its tasks write audit entries.

The suite's test process imports it to enqueue; ``test_celery_worker`` starts a real worker
process on it (``celery -A tests.celery_app worker``), with ``tests.celery_worker_settings``.
"""

import os

import django
from celery import Celery
from django.apps import apps

if not apps.ready:  # the worker process: the test process has set Django up already
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.celery_worker_settings")
    django.setup()

from django_audit_log import log_event
from django_audit_log.celery import carry_audit_context

app = Celery(
    "audit_log_tests",
    broker=os.environ.get("AUDIT_LOG_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
    backend="rpc://",
)
app.conf.task_default_queue = os.environ.get("AUDIT_LOG_CELERY_QUEUE", "audit_log_tests")
app.conf.broker_connection_retry_on_startup = True
carry_audit_context()


@app.task(name="tests.write_entry")
def write_entry(action: str) -> dict[str, object]:
    """Write one entry from inside the task and report what it says."""
    entry = log_event(action)
    return {
        "entry": str(entry.pk),
        "actor_id": entry.actor_id,
        "request_id": entry.request_id,
    }
