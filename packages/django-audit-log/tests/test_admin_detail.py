"""The detail page of an entry: the change table, the target link, times to the second."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.utils.html import escape

from django_audit_log import log
from django_audit_log.admin.display import change_rows, seconds
from django_audit_log.conf import DEFAULTS
from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Invoice, Plain

pytestmark = pytest.mark.django_db

URL = "/admin/django_audit_log/auditlog/"


def detail(client, entry):
    response = client.get(f"{URL}{entry.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def table_rows(page):
    """(field, old, new) of each row of the change table, as the page shows them."""
    table = re.search(r'<table class="audit-changes">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="audit-old">(.*?)</td>'
        r'<td class="audit-new">(.*?)</td></tr>',
        table,
        re.S,
    )
    return rows


def test_changes_show_as_a_table_of_field_old_new(admin_user_client):
    invoice = Invoice.objects.create(number="A-1")
    invoice.number, invoice.paid, invoice.notes = "A-2", True, {"tags": ["x"]}
    invoice.save()
    entry = AuditLog.objects.get(action="update")
    assert table_rows(detail(admin_user_client, entry)) == [
        ("notes", "{}", escape('{\n  "tags": [\n    "x"\n  ]\n}')),
        ("number", "A-1", "A-2"),
        ("paid", "false", "true"),
    ]


def test_redacted_values_stay_masked_in_the_table(admin_user_client, settings):
    account = Account.objects.create(name="ops", api_token="s3cr3t")
    account.api_token = "n3w-s3cr3t"
    account.save()
    # Written before a rule covered "name": masked when shown, with the current rules.
    raw = log("note", obj=account, changes={"name": {"old": "ops", "new": "ops2"}})
    settings.AUDIT_LOG_REDACT_KEYS = [*DEFAULTS["AUDIT_LOG_REDACT_KEYS"], "name"]
    update = AuditLog.objects.get(action="update")
    page = detail(admin_user_client, update)
    assert table_rows(page) == [("api_token", "[redacted]", "[redacted]")]
    assert "s3cr3t" not in page
    page = detail(admin_user_client, raw)
    assert table_rows(page) == [("name", "[redacted]", "[redacted]")]
    assert "ops2" not in page


def test_an_entry_without_changes_says_so(admin_user_client):
    entry = log("export", obj=Plain.objects.create(name="p"))
    page = detail(admin_user_client, entry)
    assert "No field changes recorded." in page


def test_unknown_old_values_and_free_form_changes_are_shown():
    entry = AuditLog(
        changes={"a": {"new": 1}, "b": {"added": ["x"]}, "c": {"old": None, "new": "z"}}
    )
    assert change_rows(entry) == [
        ("a", "(not recorded)", "1"),
        ("b", "(not recorded)", '{\n  "added": [\n    "x"\n  ]\n}'),
        ("c", "null", "z"),
    ]


def test_the_target_is_a_link_while_it_exists(admin_user_client):
    invoice = Invoice.objects.create(number="A-1")
    entry = AuditLog.objects.get(action="create")
    link = f'<a href="/admin/testapp/invoice/{invoice.pk}/change/">testapp.invoice: Invoice A-1</a>'
    assert link in detail(admin_user_client, entry)
    invoice.delete()
    page = detail(admin_user_client, entry)
    assert "testapp.invoice: Invoice A-1" in page
    assert f"/admin/testapp/invoice/{invoice.pk}/" not in page  # gone: plain text


def test_a_target_without_an_admin_page_is_plain_text(admin_user_client):
    entry = log("export", obj=Plain.objects.create(name="p"))  # Plain has no admin
    page = detail(admin_user_client, entry)
    assert "testapp.plain: p" in page
    assert "/admin/testapp/plain/" not in page


def test_the_target_is_linked_only_for_users_who_may_see_it(client, django_user_model):
    invoice = Invoice.objects.create(number="A-1")
    entry = AuditLog.objects.get(action="create")
    auditor = django_user_model.objects.create_user("auditor", password="x", is_staff=True)
    auditor.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    client.force_login(auditor)
    page = detail(client, entry)
    assert "testapp.invoice: Invoice A-1" in page
    assert f"/admin/testapp/invoice/{invoice.pk}/" not in page  # no view permission on invoices
    auditor.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    page = detail(client, entry)
    assert f'<a href="/admin/testapp/invoice/{invoice.pk}/change/">' in page


@override_settings(TIME_ZONE="Europe/Paris")
def test_times_show_seconds_in_the_current_time_zone(admin_user_client):
    moment = datetime.datetime(2026, 7, 1, 10, 15, 7, 123456, tzinfo=datetime.timezone.utc)
    entry = AuditLog.objects.create(action="tick", created_at=moment)
    assert seconds(moment) == "2026-07-01 12:15:07 CEST"
    assert "2026-07-01 12:15:07 CEST" in detail(admin_user_client, entry)
    listing = admin_user_client.get(URL).content.decode()
    assert "2026-07-01 12:15:07 CEST" in listing
    assert seconds(None) == "-"
