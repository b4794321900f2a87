"""Fixtures of the example project's tests: a headless Chromium driven through Selenium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from primitives_testkit.browser import headless_chromium


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from headless_chromium(tmp_path_factory.mktemp("chromium-profile"))
