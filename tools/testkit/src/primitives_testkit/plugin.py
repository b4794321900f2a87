"""pytest plugin loaded by every suite in the repository."""

from __future__ import annotations

import os
import sys

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "postgresql: needs PostgreSQL; skipped, with the reason shown, on other databases",
    )
    config.addinivalue_line(
        "markers",
        "server_database: needs a database server (PostgreSQL, MariaDB): real threads and row "
        "locks, enforced column lengths; skipped, with the reason shown, on SQLite",
    )
    if os.environ.get("PRIMITIVES_REQUIRE_INSTALLED") == "1":
        config.pluginmanager.register(_InstalledPackageGuard(), "primitives-installed-guard")


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {url.split('://')[0] if url else 'sqlite (in memory)'}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    markers = {mark.name: mark for mark in item.iter_markers()}
    if not {"postgresql", "server_database"} & markers.keys():
        return
    from django.db import connection

    vendor = connection.vendor
    if "postgresql" in markers and vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL, this run uses {vendor} (set DATABASE_URL)")
    if "server_database" in markers and vendor == "sqlite":
        pytest.skip("needs a database server (PostgreSQL or MariaDB), this run uses SQLite")


class _InstalledPackageGuard:
    """Fail the run when a package under test was imported from a source checkout."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        from_source = sorted(
            f"{name} from {module.__file__}"
            for name, module in list(sys.modules.items())
            if name.startswith("django_")
            and "." not in name
            and f"{os.sep}src{os.sep}" in (getattr(module, "__file__", "") or "")
        )
        if from_source:
            raise pytest.UsageError(
                "suites must run against the installed packages, not src/: "
                + "; ".join(from_source)
            )
