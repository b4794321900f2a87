"""The admin in a real browser: headless Chromium drives the example project's admin.

It logs in, opens every registered model's changelist and one change form, edits the singleton
settings, tries to change an audit entry, commits a basket through the admin action, and takes a
screenshot of an encounter definition's diagram. It needs a live server in another thread, so it
runs in a committed database, emptied after each test: on PostgreSQL that flush passes the
append-only triggers through django-basemodels' test-flush route (its pytest plugin), with
nothing configured here.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from primitives_testkit.browser import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(transactional_db):
    # The demo's rows, without its pauses: nothing here reads how long a work session lasted.
    call_command("demo", "--no-pauses", stdout=StringIO())


@pytest.fixture
def admin_browser(browser, live_server, demo_data):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(live_server.url + reverse("admin:login"))
    browser.find_element(By.ID, "id_username").send_keys("admin")
    browser.find_element(By.ID, "id_password").send_keys("admin")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert "Site administration" in browser.title
    yield browser
    # Leave the live server idle before it shuts down: a request still in flight (a favicon, say)
    # would reach the test's database connection after the test let go of it.
    browser.get("about:blank")


def _open(browser, live_server, url: str) -> str:
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + url)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Server Error" not in body, f"{url} failed: {body[:300]}"
    assert "Log in" not in browser.title, f"{url} sent us back to the login page"
    return body


def test_every_changelist_and_one_change_form_open(admin_browser, live_server):
    opened = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        _open(admin_browser, live_server, reverse(f"{prefix}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"{prefix}_change", args=[quote(first.pk)])
            _open(admin_browser, live_server, change)
            opened.append(model._meta.label)
    # The demo touches every package, so most models have a row whose form must open.
    assert len(opened) >= len(admin.site._registry) // 2, opened


def test_singleton_settings_are_edited_in_the_browser(admin_browser, live_server):
    from selenium.webdriver.common.by import By

    from django_catalog.models import CatalogSettings

    before = CatalogSettings.get_instance().allow_inactive_items
    _open(admin_browser, live_server, reverse("admin:django_catalog_catalogsettings_changelist"))
    # The changelist goes straight to the one object.
    assert "/change/" in admin_browser.current_url
    admin_browser.find_element(By.ID, "id_allow_inactive_items").click()
    click_and_wait(admin_browser, admin_browser.find_element(By.NAME, "_save"))
    CatalogSettings.objects.all()  # no cached instance may hide the write
    assert CatalogSettings.objects.get().allow_inactive_items is (not before)


def test_audit_entries_cannot_be_changed_or_deleted(admin_browser, live_server):
    from selenium.webdriver.common.by import By

    from django_audit_log.models import AuditLog

    entry = AuditLog.objects.order_by("created_at").first()
    change = reverse("admin:django_audit_log_auditlog_change", args=[quote(entry.pk)])
    _open(admin_browser, live_server, change)
    assert admin_browser.find_elements(By.NAME, "_save") == []
    assert admin_browser.find_elements(By.CSS_SELECTOR, "form input[name=action]") == []
    delete = reverse("admin:django_audit_log_auditlog_delete", args=[quote(entry.pk)])
    admin_browser.get(live_server.url + delete)
    assert "403" in admin_browser.find_element(By.TAG_NAME, "body").text
    assert AuditLog.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_basket_is_committed_from_the_admin(admin_browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from django_catalog.models import BasketItem, CatalogItem, WorkItem
    from django_catalog.services import get_or_create_draft_basket
    from django_encounters.models import Encounter

    encounter = Encounter.objects.order_by("created_at").first()
    user = get_user_model().objects.get(username="admin")
    basket = get_or_create_draft_basket(encounter, user)
    item = CatalogItem.objects.filter(active=True).first()
    BasketItem.objects.create(basket=basket, catalog_item=item, added_by=user)

    _open(admin_browser, live_server, reverse("admin:django_catalog_basket_changelist"))
    admin_browser.find_element(By.CSS_SELECTOR, f"input.action-select[value='{basket.pk}']").click()
    Select(admin_browser.find_element(By.NAME, "action")).select_by_value("commit")
    click_and_wait(admin_browser, admin_browser.find_element(By.NAME, "index"))

    basket.refresh_from_db()
    assert basket.status == "committed"
    assert WorkItem.objects.filter(basket_item__basket=basket).count() == 1


def test_encounter_definition_diagram_screenshot(admin_browser, live_server, tmp_path):
    from selenium.webdriver.common.by import By

    from django_encounters.models import EncounterDefinition

    definition = EncounterDefinition.objects.get(code="repair_job")
    change = reverse(
        "admin:django_encounters_encounterdefinition_change", args=[quote(definition.pk)]
    )
    _open(admin_browser, live_server, change)
    diagram = admin_browser.find_element(By.CSS_SELECTOR, "svg.encounter-diagram")
    drawn = {box.get_attribute("data-state") for box in diagram.find_elements(By.CSS_SELECTOR, "g")}
    assert drawn == set(definition.states)
    folder = Path(os.environ.get("BROWSER_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "encounter-definition-diagram.png"
    diagram.screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 1000
