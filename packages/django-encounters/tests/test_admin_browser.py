"""The encounter admin in headless Chromium: move an encounter by button, see a blocked move.

A live server answers the browser from another thread, so these tests run in a committed database
that is flushed afterwards (encounters' triggers refuse UPDATE and DELETE, not the flush).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from django_encounters import EncounterDefinition, EncounterTransition, create_encounter
from primitives_testkit.browser import click_and_wait, headless_chromium
from tests.conftest import VISIT
from tests.testapp.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {
    "path": "django_encounters.validators.RequiredFieldsValidator",
    "params": {"state_requirements": {"in_progress": ["started_at"]}},
}


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
    assert "Site administration" in browser.title
    yield browser
    browser.get("about:blank")  # no request may still be in flight when the server stops


@pytest.fixture
def blocked_encounter(transactional_db):
    definition = EncounterDefinition.objects.create(**{**VISIT, "validators": [BLOCKING]})
    return create_encounter(definition, Patient.objects.create(name="Rex"))


def open_change_page(browser, live_server, encounter):
    url = reverse("admin:django_encounters_encounter_change", args=[encounter.pk])
    browser.get(live_server.url + url)


def move_button(browser, state):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, f"button[name=to_state][value={state}]")


def test_an_encounter_is_moved_by_button(signed_in, live_server, blocked_encounter):
    from selenium.webdriver.common.by import By

    open_change_page(signed_in, live_server, blocked_encounter)
    signed_in.find_element(By.ID, "id_move_reason").send_keys("arrived at the desk")
    click_and_wait(signed_in, move_button(signed_in, "checked_in"))

    success = signed_in.find_element(By.CSS_SELECTOR, "ul.messagelist li.success").text
    assert "Moved from 'scheduled' to 'checked_in'." in success
    blocked_encounter.refresh_from_db()
    assert blocked_encounter.state == "checked_in"
    record = EncounterTransition.objects.get(encounter=blocked_encounter, to_state="checked_in")
    assert record.transitioned_by.username == "boss"
    assert record.reason == "arrived at the desk"
    # The page now offers the moves from the new state.
    assert move_button(signed_in, "in_progress").is_displayed()


def test_a_blocked_move_shows_the_validators_error(signed_in, live_server, blocked_encounter):
    from selenium.webdriver.common.by import By

    open_change_page(signed_in, live_server, blocked_encounter)
    click_and_wait(signed_in, move_button(signed_in, "checked_in"))
    click_and_wait(signed_in, move_button(signed_in, "in_progress"))

    error = signed_in.find_element(By.CSS_SELECTOR, "ul.messagelist li.error").text
    assert "Field 'started_at' is required for state 'in_progress'" in error
    blocked_encounter.refresh_from_db()
    assert blocked_encounter.state == "checked_in"
    assert not EncounterTransition.objects.filter(to_state="in_progress").exists()
