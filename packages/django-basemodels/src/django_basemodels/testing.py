"""Django's own test runner with append-only tables (pytest users need nothing: see
``django_basemodels.pytest_plugin``).

In settings::

    TEST_RUNNER = "django_basemodels.testing.AppendOnlyTestRunner"

and in tests that flush (``TransactionTestCase``, ``LiveServerTestCase``)::

    class CheckoutTests(AppendOnlyFlushMixin, LiveServerTestCase): ...

The runner marks the test databases it creates; the mixin opens the flush route around the
flush that ends each test. Tests still run against triggers that refuse every change.
"""

from __future__ import annotations

from typing import Any

from django.test.runner import DiscoverRunner

from django_basemodels.flush_route import mark_test_database, open_flush_route

__all__ = ["AppendOnlyFlushMixin", "AppendOnlyTestRunner", "mark_created_test_databases"]


class AppendOnlyFlushMixin:
    """Mix into a ``TransactionTestCase`` (or ``LiveServerTestCase``) before the Django class."""

    def _fixture_teardown(self) -> None:
        with open_flush_route():
            super()._fixture_teardown()  # type: ignore[misc]


def mark_created_test_databases(old_config: list[Any], parallel: int = 0) -> None:
    """Mark the databases ``setup_databases()`` created (its return value), and the clones a
    parallel run made of them, as test databases. For a runner of your own."""
    for connection, _original_name, created in old_config:
        if not created:
            continue  # a mirror: the database it points at is marked through its first alias
        mark_test_database(connection)
        for index in range(parallel if parallel > 1 else 0):
            clone = connection.creation.get_test_db_clone_settings(str(index + 1))
            mark_test_database(connection, clone["NAME"])


class AppendOnlyTestRunner(DiscoverRunner):
    """``DiscoverRunner`` that marks the test databases it creates (and their parallel clones)."""

    def setup_databases(self, **kwargs: Any) -> list[Any]:
        old_config: list[Any] = super().setup_databases(**kwargs)
        mark_created_test_databases(old_config, self.parallel)
        return old_config
