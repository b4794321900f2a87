"""End to end: a throwaway host project with an append-only table flushes its test database
between transactional tests, under pytest (the plugin, loaded from its entry point) and under
Django's runner (``AppendOnlyTestRunner`` + ``AppendOnlyFlushMixin``), with no fixture copied.

Each test runs the project in a subprocess against this run's database server.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

SETTINGS = """
from primitives_testkit.settings import database_from_env

SECRET_KEY = "throwaway"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = database_from_env("basemodels_host")
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "ledger"]
ROOT_URLCONF = "host_urls"
TEST_RUNNER = "django_basemodels.testing.AppendOnlyTestRunner"
"""

MIGRATION = """
from django.db import migrations, models

from django_basemodels.migration_ops import AppendOnly


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            "Line",
            [
                ("id", models.BigAutoField(primary_key=True)),
                ("amount", models.IntegerField()),
            ],
        ),
        AppendOnly("line", rows="ledger lines"),
    ]
"""

# Every test starts with an empty table (the previous test's flush went through) and leaves a
# row behind for the next flush; on PostgreSQL and MariaDB the test itself meets triggers
# refusing it all.
COMMON = """
from django.db import IntegrityError, connection, transaction

from ledger.models import Line


def starts_empty_and_writes(test=None):
    assert Line.objects.count() == 0, "the previous flush did not empty the table"
    Line.objects.create(amount=1)
    if connection.vendor in ("postgresql", "mysql"):
        # TRUNCATE fires no trigger on MariaDB (privileges keep application roles from it).
        statements = ["DELETE FROM ledger_line", "UPDATE ledger_line SET amount = 2"]
        if connection.vendor == "postgresql":
            statements.append("TRUNCATE ledger_line")
        for statement in statements:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement)
            except IntegrityError as error:
                assert "ledger lines are append-only" in str(error)
            else:
                raise AssertionError(f"{statement} went through inside a test")
    assert Line.objects.count() == 1
"""

UNITTEST_TESTS = """
from django.test import LiveServerTestCase, TransactionTestCase

from django_basemodels.testing import AppendOnlyFlushMixin
from ledger.common import starts_empty_and_writes


class FlushedTests(AppendOnlyFlushMixin, TransactionTestCase):
    def test_one(self):
        starts_empty_and_writes()

    def test_two(self):
        starts_empty_and_writes()


class LiveTests(AppendOnlyFlushMixin, LiveServerTestCase):
    def test_three(self):
        starts_empty_and_writes()
"""

PYTEST_TESTS = """
import pytest

from ledger.common import starts_empty_and_writes


@pytest.mark.django_db(transaction=True)
def test_marker_one():
    starts_empty_and_writes()


@pytest.mark.django_db(transaction=True)
def test_marker_two():
    starts_empty_and_writes()


def test_transactional_db(transactional_db):
    starts_empty_and_writes()


def test_live_server(live_server):
    starts_empty_and_writes()


@pytest.mark.django_db(transaction=True)
def test_last():
    starts_empty_and_writes()
"""

REFUSED = "ledger lines are append-only"


def _vendor():
    from django.db import connection

    return connection.vendor


# The negative controls need a database whose triggers refuse the flush.
with_triggers = pytest.mark.skipif(
    _vendor() not in ("postgresql", "mysql"),
    reason="needs PostgreSQL or MariaDB (their triggers refuse the flush); this run uses SQLite",
)


@pytest.fixture
def host(pytester, monkeypatch):
    """The throwaway project, as a fresh ``django-admin startproject`` plus one app would be."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "host_settings")
    files = {
        "host_settings.py": SETTINGS,
        "host_urls.py": "urlpatterns = []\n",
        "manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n"
        "execute_from_command_line(sys.argv)\n",
        "ledger/__init__.py": "",
        "ledger/models.py": "from django.db import models\n\n\nclass Line(models.Model):\n"
        "    amount = models.IntegerField()\n",
        "ledger/migrations/__init__.py": "",
        "ledger/migrations/0001_initial.py": MIGRATION,
        "ledger/common.py": COMMON,
        "ledger/tests.py": UNITTEST_TESTS,
        "test_pytest_style.py": PYTEST_TESTS,
        "pytest.ini": "[pytest]\npythonpath = .\ndjango_find_project = false\n"
        "python_files = tests.py test_*.py\n",
    }
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return pytester


def test_pytest_flushes_transactional_tests_through_the_plugin(host):
    result = host.runpytest_subprocess("-p", "no:cacheprovider", "--create-db")
    result.assert_outcomes(passed=8)


@with_triggers
def test_without_the_plugin_the_flush_is_refused(host):
    result = host.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:django_basemodels")
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors", 0) + outcomes.get("failed", 0) > 0, result.stdout.str()
    assert REFUSED in result.stdout.str()


def test_django_runner_flushes_through_the_mixin(host):
    # On PostgreSQL and MariaDB in two processes: the runner marks the clones each process
    # flushes too.
    parallel = ["--parallel=2"] if _vendor() in ("postgresql", "mysql") else []
    result = host.run(sys.executable, "manage.py", "test", "ledger", "--noinput", *parallel)
    assert result.ret == 0, result.stderr.str()
    assert "Ran 3 tests" in result.stderr.str()
    if parallel:
        assert "Cloning test database" in result.stderr.str()


@with_triggers
def test_django_runner_that_marks_nothing_cannot_flush(host):
    result = host.run(
        sys.executable,
        "manage.py",
        "test",
        "ledger",
        "--noinput",
        "--testrunner=django.test.runner.DiscoverRunner",
    )
    assert result.ret != 0
    assert REFUSED in result.stderr.str()
