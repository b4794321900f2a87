import pytest
from django.dispatch import Signal

from django_audit_log import connect_signal
from django_audit_log.models import AuditLog
from tests.testapp.models import Plain

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal():
    signal = Signal()
    yield signal
    signal.receivers.clear()


def test_signal_becomes_an_entry_with_target_actor_and_metadata(signal, user):
    connect_signal(signal, "basket.committed", obj_arg="basket", actor_arg="user")
    basket = Plain.objects.create(name="basket 1")
    signal.send(sender=Plain, basket=basket, user=user, items=3, api_token="abc")
    entry = AuditLog.objects.get()
    assert entry.action == "basket.committed"
    assert entry.target_id == str(basket.pk)
    assert entry.actor == user
    assert entry.metadata == {"items": 3, "api_token": "[redacted]"}


def test_action_can_be_computed_and_metadata_chosen(signal):
    connect_signal(
        signal,
        lambda sender, **kwargs: f"module.{kwargs['state']}",
        obj_arg=None,
        metadata_args=("module",),
        sensitivity="high",
    )
    signal.send(sender=None, module="billing", state="enabled", noise="x")
    entry = AuditLog.objects.get()
    assert entry.action == "module.enabled"
    assert entry.metadata == {"module": "billing"}
    assert entry.sensitivity == "high"


def test_sender_filter_is_honoured(signal):
    connect_signal(signal, "only.plain", sender=Plain, obj_arg=None)
    signal.send(sender=AuditLog)
    assert not AuditLog.objects.exists()
    signal.send(sender=Plain)
    assert AuditLog.objects.count() == 1


def test_dispatch_uid_prevents_double_connection(signal):
    connect_signal(signal, "once", obj_arg=None, dispatch_uid="audit:once")
    connect_signal(signal, "once", obj_arg=None, dispatch_uid="audit:once")
    signal.send(sender=None)
    assert AuditLog.objects.count() == 1


def test_receiver_is_returned_and_can_be_disconnected(signal):
    receiver = connect_signal(signal, "gone", obj_arg=None)
    assert signal.disconnect(receiver)
    signal.send(sender=None)
    assert not AuditLog.objects.exists()
