"""System checks of django-encounters (ids ``encounters.E001`` ...)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks

from django_encounters import conf


@checks.register()
def check_contenttypes_installed(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    if apps.is_installed("django.contrib.contenttypes"):
        return []
    return [
        checks.Error(
            "django_encounters needs django.contrib.contenttypes (encounter subjects are generic).",
            hint="Add 'django.contrib.contenttypes' to INSTALLED_APPS.",
            id="encounters.E001",
        )
    ]


@checks.register()
def check_mermaid_url(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    url = conf.get("ENCOUNTERS_MERMAID_JS_URL")
    if url is None or (isinstance(url, str) and url.startswith(("https://", "http://", "/"))):
        return []
    return [
        checks.Error(
            f"ENCOUNTERS_MERMAID_JS_URL is {url!r}; "
            "expected None or a URL (https://..., /static/...).",
            hint="Set it to the URL of mermaid.min.js, or to None to show diagrams as text.",
            id="encounters.E002",
        )
    ]


@checks.register()
def check_clock_skew_tolerance(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    tolerance = conf.get("ENCOUNTERS_CLOCK_SKEW_TOLERANCE")
    if isinstance(tolerance, timedelta) and tolerance >= timedelta(0):
        return []
    return [
        checks.Error(
            f"ENCOUNTERS_CLOCK_SKEW_TOLERANCE is {tolerance!r}; "
            "expected a timedelta of zero or more.",
            hint="Set it to e.g. timedelta(minutes=5): how far in the future effective_at may lie.",
            id="encounters.E003",
        )
    ]
