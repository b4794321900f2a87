"""The audit admin in headless Chromium: read an entry's change table; the list fits 1400 px.

A live server answers the browser from another thread, so these tests run in a committed
database, flushed afterwards through django-basemodels' test route (the entries' triggers refuse
the flush otherwise).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from django_audit_log import audit_context, log
from django_audit_log.models import AuditLog
from primitives_testkit.browser import click_and_wait, headless_chromium
from tests.testapp.models import Account, Invoice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from headless_chromium(tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture
def signed_in(browser, live_server):
    from selenium.webdriver.common.by import By

    get_user_model().objects.create_superuser("boss", "boss@example.com", "pass")
    browser.delete_all_cookies()
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.ID, "id_username").send_keys("boss")
    browser.find_element(By.ID, "id_password").send_keys("pass")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    browser.find_element(By.ID, "site-name")  # the index page
    yield browser
    browser.get("about:blank")  # no request may still be in flight when the server stops


def change_table(browser):
    """The rows of the change table as the browser renders them: (field, old, new)."""
    from selenium.webdriver.common.by import By

    rows = browser.find_elements(By.CSS_SELECTOR, "table.audit-changes tbody tr")
    return [
        tuple(cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")) for row in rows
    ]


def test_an_entry_reads_as_a_change_table_with_a_linked_target(signed_in, live_server):
    from selenium.webdriver.common.by import By

    invoice = Invoice.objects.create(number="A-1")
    invoice.number, invoice.paid = "A-2", True
    invoice.save()
    account = Account.objects.create(name="ops", api_token="s3cr3t")
    update = AuditLog.objects.get(action="update")
    secret = AuditLog.objects.get(action="create", target_id=str(account.pk))

    signed_in.get(
        live_server.url + reverse("admin:django_audit_log_auditlog_change", args=[update.pk])
    )
    headings = signed_in.find_elements(By.CSS_SELECTOR, "table.audit-changes thead th")
    assert [th.text.lower() for th in headings] == ["field", "old", "new"]  # styled upper case
    assert change_table(signed_in) == [("number", "A-1", "A-2"), ("paid", "false", "true")]
    link = signed_in.find_element(By.LINK_TEXT, "testapp.invoice: Invoice A-2")
    assert link.get_attribute("href").endswith(f"/admin/testapp/invoice/{invoice.pk}/change/")
    shown_time = signed_in.find_element(By.CSS_SELECTOR, ".field-created_at_seconds .readonly").text
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+", shown_time), shown_time

    signed_in.get(
        live_server.url + reverse("admin:django_audit_log_auditlog_change", args=[secret.pk])
    )
    assert ("api_token", "null", "[redacted]") in change_table(signed_in)
    assert "s3cr3t" not in signed_in.page_source

    invoice.delete()
    signed_in.get(
        live_server.url + reverse("admin:django_audit_log_auditlog_change", args=[update.pk])
    )
    target = signed_in.find_element(By.CSS_SELECTOR, ".field-target_link .readonly")
    assert target.text == "testapp.invoice: Invoice A-2"
    assert not target.find_elements(By.TAG_NAME, "a")


def test_the_list_shows_every_column_at_1400_pixels(signed_in, live_server):
    from selenium.webdriver.common.by import By

    # Long values that cannot break at a space: an e-mail as the actor, an IPv6 address, a
    # target described by its key (as entries were before restores were labelled by name).
    long_label = "invoice " + "-".join(["0190f3c2b7d94c5e8a1f6b2d3e4f5a6b"] * 4)
    for sensitivity in ("normal", "high", "critical"):
        with audit_context(ip_address="2001:db8:85a3:1234:5678:8a2e:370:7334"):
            log(
                "invoice.reconciled-with-the-northern-region-ledger",
                obj=Invoice.objects.create(number=long_label[:20]),
                actor="a-rather-long-service-account-name-for-reconciliation@example.com",
                sensitivity=sensitivity,
            )
    AuditLog.objects.create(
        action="restore", target_repr=long_label, actor_display="x" * 120, sensitivity="high"
    )
    signed_in.set_window_size(1400, 900)
    signed_in.get(live_server.url + reverse("admin:django_audit_log_auditlog_changelist"))
    results = signed_in.find_element(By.CSS_SELECTOR, "#changelist .results")
    header = signed_in.find_element(By.CSS_SELECTOR, "#result_list th.column-sensitivity")
    cells = signed_in.find_elements(By.CSS_SELECTOR, "#result_list td.field-sensitivity")
    assert {cell.text for cell in cells} >= {"Normal", "High", "Critical"}
    visible = box(signed_in, results)
    for element in (header, *cells):
        assert box(signed_in, element)["right"] <= visible["right"] + 0.5  # not cut off
    # Nothing to scroll sideways for, in the list or in the page.
    assert signed_in.execute_script(
        "return arguments[0].scrollWidth <= arguments[0].clientWidth", results
    )
    assert signed_in.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def box(browser, element):
    return browser.execute_script("return arguments[0].getBoundingClientRect()", element)
