"""pytest plugin, registered through the ``pytest11`` entry point: on with the package installed.

With pytest-django it lets test databases be flushed past the append-only triggers, and nothing
else:

- right after ``django_db_setup`` created the test databases, it marks each database a
  connection moved to (``flush_route.mark_test_database``). A ``django_db_setup`` of your own
  that keeps the connections on existing databases leaves them unmarked, and their flushes are
  refused;
- around the teardown of pytest-django's database helper (the flush that ends a
  ``transactional_db`` / ``live_server`` / ``django_db(transaction=True)`` test) it opens the
  flush route, and closes it right after. The test itself runs with the route closed.

``unittest`` classes collected by pytest flush in their own teardown: give them
``django_basemodels.testing.AppendOnlyFlushMixin``.

Without pytest-django, or on databases other than PostgreSQL and MariaDB, it does nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

# pytest-django's fixtures: the one that creates the test databases, and the one whose teardown
# flushes them after a transactional test.
SETUP_FIXTURE = "django_db_setup"
HELPER_FIXTURE = "_django_db_helper"


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    if fixturedef.argname == SETUP_FIXTURE:
        names_before = _database_names()
        result = yield
        with request.getfixturevalue("django_db_blocker").unblock():
            _mark_moved_databases(names_before)
        return result
    if fixturedef.argname == HELPER_FIXTURE:
        from django_basemodels.flush_route import FlushRoute

        blocker = request.getfixturevalue("django_db_blocker")
        route = FlushRoute()

        def open_route() -> None:
            with blocker.unblock():
                route.open()

        def close_route() -> None:
            with blocker.unblock():
                route.close()

        # Finalizers run last-added first: open, then the helper's own teardown, then close.
        fixturedef.addfinalizer(close_route)
        result = yield
        fixturedef.addfinalizer(open_route)
        return result
    return (yield)


def _database_names() -> dict[str, Any]:
    from django.db import connections

    return {alias: connections[alias].settings_dict["NAME"] for alias in connections}


def _mark_moved_databases(names_before: dict[str, Any]) -> None:
    from django.db import connections

    from django_basemodels.flush_route import mark_test_database

    marked: set[tuple[str, Any]] = set()
    for alias, name in _database_names().items():
        connection = connections[alias]
        key = (str(connection.settings_dict.get("HOST")), name)
        if name != names_before.get(alias) and key not in marked:
            mark_test_database(connection)
            marked.add(key)
