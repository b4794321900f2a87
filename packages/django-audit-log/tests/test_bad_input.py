"""Every public entry point, fed bad values: the package's own error, naming the value, and the
database left as it was."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.dispatch import Signal

from django_audit_log import audit_context, connect_signal, log, log_event, prune
from django_audit_log.exceptions import AuditLogError
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.sealing import seal
from django_audit_log.verification import verify
from tests.testapp.models import Plain

pytestmark = pytest.mark.django_db

NAIVE = datetime.datetime(2020, 1, 1, 12, 0)
LONG = "x" * 300


def enter(**kwargs):
    with audit_context(**kwargs):
        pass  # pragma: no cover (never entered)


def create(**kwargs):
    AuditLog.objects.create(**{"action": "x", **kwargs})


def bulk_create(**kwargs):
    AuditLog.objects.bulk_create([AuditLog(**{"action": "x", **kwargs})])


def unsaved_plain():
    return Plain(name="never saved")


def unsaved_user():
    return get_user_model()(username="never saved")


CASES = [
    # (call, the value the message must name)
    # log() / log_event()
    (lambda: log(None), "action None"),
    (lambda: log(42), "action 42"),
    (lambda: log(""), "action ''"),
    (lambda: log("x" * 101), "action 'xxxx"),
    (lambda: log("x", obj=unsaved_plain()), "obj <Plain: never saved>"),
    (lambda: log("x", obj="Plain 1"), "obj 'Plain 1'"),
    (lambda: log("x", actor=unsaved_user()), "actor <User: never saved>"),
    (lambda: log("x", actor=3), "actor 3"),
    (lambda: log("x", request="GET /"), "request 'GET /'"),
    (lambda: log("x", changes="all"), "changes 'all'"),
    (lambda: log("x", metadata=[("k", "v")]), "metadata [('k', 'v')]"),
    (lambda: log("x", sensitivity=None), "sensitivity None"),
    (lambda: log("x", sensitivity="secret"), "sensitivity 'secret'"),
    (lambda: log("x", is_system="no"), "is_system 'no'"),
    (lambda: log("x", using="elsewhere"), "using 'elsewhere'"),
    (lambda: log_event(None), "action None"),
    (lambda: log_event("x", actor=2.5), "actor 2.5"),
    (lambda: log_event("x", metadata=["a"]), "metadata ['a']"),
    (lambda: log_event("x", sensitivity=["high"]), "sensitivity ['high']"),
    (lambda: log_event("x", is_system=0), "is_system 0"),
    # audit_context()
    (lambda: enter(actor=unsaved_user()), "actor <User: never saved>"),
    (lambda: enter(actor=1), "actor 1"),
    (lambda: enter(request_id=LONG), "request_id 'xxxx"),
    (lambda: enter(request_id=123), "request_id 123"),
    (lambda: enter(ip_address="999.1.1.1"), "ip_address '999.1.1.1'"),
    (lambda: enter(ip_address=b"10.0.0.1"), "ip_address b'10.0.0.1'"),
    (lambda: enter(user_agent=5), "user_agent 5"),
    (lambda: enter(is_system="true"), "is_system 'true'"),
    # AuditLog written by hand
    (lambda: create(action=""), "action ''"),
    (lambda: create(sensitivity="secret"), "sensitivity 'secret'"),
    (lambda: create(created_at=NAIVE), "created_at datetime.datetime(2020, 1, 1, 12, 0)"),
    (lambda: create(created_at="2020-01-01"), "created_at '2020-01-01'"),
    (lambda: create(ip_address="not an ip"), "ip_address 'not an ip'"),
    (lambda: create(request_id=LONG), "request_id 'xxxx"),
    (lambda: create(target_repr=LONG), "target_repr 'xxxx"),
    (lambda: create(metadata=["a"]), "metadata ['a']"),
    (lambda: create(is_system=None), "is_system None"),
    (lambda: create(id="not-a-uuid"), "id 'not-a-uuid'"),
    (lambda: bulk_create(user_agent="u" * 513), "user_agent 'uuuu"),
    (lambda: bulk_create(changes=None), "changes None"),
    # connect_signal()
    (lambda: connect_signal(None, "x"), "signal None"),
    (lambda: connect_signal(Signal(), ""), "action ''"),
    (lambda: connect_signal(Signal(), "x", obj_arg=1), "obj_arg 1"),
    (lambda: connect_signal(Signal(), "x", actor_arg=["user"]), "actor_arg ['user']"),
    (lambda: connect_signal(Signal(), "x", metadata_args="a"), "metadata_args 'a'"),
    (lambda: connect_signal(Signal(), "x", sensitivity="top"), "sensitivity 'top'"),
    # prune(), seal(), verify()
    (lambda: prune(None), "cut-off None"),
    (lambda: prune(NAIVE), "cut-off datetime.datetime(2020, 1, 1, 12, 0)"),
    (lambda: prune("2020-01-01"), "cut-off '2020-01-01'"),
    (lambda: prune(datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)), "cut-off"),
    (lambda: seal(full="yes"), "full 'yes'"),
    (lambda: seal(adopt_unstamped=1), "adopt_unstamped 1"),
    (lambda: seal(using=3), "using 3"),
    (lambda: verify(using=3), "using 3"),
    (lambda: verify(head=(1,)), "head (1,)"),
    (lambda: verify(head="1:abc"), "head '1:abc'"),
]


def snapshot():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {AuditLog._meta.db_table}")
        entries = cursor.fetchone()[0]
    return entries, AuditSeal.objects.count(), Plain.objects.count()


@pytest.mark.parametrize(("call", "named"), CASES, ids=[named for _, named in CASES])
def test_bad_input_raises_the_package_error_naming_the_value_and_writes_nothing(call, named):
    log_event("already there")
    before = snapshot()
    with pytest.raises(AuditLogError, match=re.escape(named)):
        call()
    assert snapshot() == before
