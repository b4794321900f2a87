"""A headless Chromium for the admin browser tests, from Debian's chromium and chromium-driver.

``headless_chromium(profile_dir)`` yields a Selenium driver, or skips the test when the browser is
not installed (fails under ``CI=true``; ``scripts/ensure-chromium`` installs it there). Selenium is
never allowed to fetch a browser or driver of its own: this machine may have no network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # no internet here: stop Chromium from trying to reach its own services
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]


def headless_chromium(profile_dir: Path) -> Iterator[Any]:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        reason = "needs Debian's chromium and chromium-driver (scripts/ensure-chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.implicitly_wait(2)
    try:
        yield driver
    finally:
        driver.quit()


def click_and_wait(browser: Any, element: Any, timeout: float = 30) -> None:
    """Click ``element``, then wait until the browser has left the page (the form was posted and
    the answer loaded).

    Selenium's ``staleness_of`` is not enough: while Chromium swaps documents, asking about the
    old page's node can fail with "Node with given id does not belong to the document" instead of
    the stale-element error that condition expects, which failed a run now and then.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    element.click()

    def left_the_page(_driver: Any) -> bool:
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    WebDriverWait(browser, timeout).until(left_the_page)
