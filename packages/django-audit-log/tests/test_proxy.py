"""Entries about proxy instances name the proxy model, on every path that writes a target."""

import pytest
from django.contrib.contenttypes.models import ContentType

from django_audit_log import log
from django_audit_log.models import AuditLog
from tests.testapp.models import Invoice, InvoiceProxy, Plain, PlainProxy

pytestmark = pytest.mark.django_db


def proxy_type(model):
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def test_log_about_a_proxy_instance_names_the_proxy():
    plain = PlainProxy.objects.create(name="p")
    entry = log("looked.at", obj=plain)
    assert entry.target_content_type_id == proxy_type(PlainProxy).pk != proxy_type(Plain).pk
    stored = AuditLog.objects.get(pk=entry.pk)
    assert stored.target_content_type == proxy_type(PlainProxy)
    assert (stored.target_id, stored.target_repr) == (str(plain.pk), "p")
    assert type(stored.target) is PlainProxy


def test_tracked_save_of_a_proxy_instance_names_the_proxy():
    invoice = InvoiceProxy.objects.create(number="7")
    invoice.paid = True
    invoice.save()
    entries = AuditLog.objects.order_by("created_at", "id")
    assert [e.action for e in entries] == ["create", "update"]
    for entry in entries:
        assert entry.target_content_type == proxy_type(InvoiceProxy)
        assert (entry.target_id, entry.target_repr) == (str(invoice.pk), "Invoice 7")
    assert proxy_type(InvoiceProxy) != proxy_type(Invoice)


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "unsealed"])
def test_tracked_queryset_update_of_proxy_rows_names_the_proxy(sealed, settings):
    if not sealed:  # on PostgreSQL: the one-statement update (update_statement)
        settings.AUDIT_LOG_SEAL_KEY = None
    InvoiceProxy.objects.create(number="8")
    InvoiceProxy.objects.filter(number="8").update(paid=True)
    entry = AuditLog.objects.get(action="update")
    assert entry.target_content_type == proxy_type(InvoiceProxy)
    assert entry.target_repr == "Invoice 8"  # str() of the row, read with the old values
