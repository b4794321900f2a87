"""What the test kit promises every suite in the repository."""

import threading

import pytest

from primitives_testkit import run_concurrently
from primitives_testkit.settings import database_from_env

pytest_plugins = ["pytester"]


def test_sqlite_in_memory_without_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_from_env("catalog") == {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    }


def test_database_url_names_the_server_and_a_test_database_per_suite(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    monkeypatch.delenv("PRIMITIVES_TEST_DB_SUFFIX", raising=False)
    default = database_from_env("catalog")["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["HOST"], default["PORT"], default["NAME"]) == ("127.0.0.1", 5432, "test")
    assert default["TEST"] == {"NAME": "test_catalog"}


def test_suffix_keeps_two_checkouts_test_databases_apart(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("PRIMITIVES_TEST_DB_SUFFIX", "_infra")
    assert database_from_env("catalog")["default"]["TEST"] == {"NAME": "test_catalog_infra"}


def test_mariadb_url_uses_utf8mb4_for_the_connection_and_the_test_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@127.0.0.1:3306/test")
    monkeypatch.setenv("PRIMITIVES_TEST_DB_SUFFIX", "_mdb")
    default = database_from_env("rbac")["default"]
    assert default["ENGINE"] == "django.db.backends.mysql"
    assert (default["HOST"], default["PORT"], default["USER"]) == ("127.0.0.1", 3306, "root")
    assert default["OPTIONS"]["charset"] == "utf8mb4"
    assert default["TEST"] == {
        "NAME": "test_rbac_mdb",
        "CHARSET": "utf8mb4",
        "COLLATION": "utf8mb4_general_ci",
    }


def test_threads_run_at_the_same_moment():
    # Every thread must be inside fn at once: a second barrier, which only opens when all 16
    # arrive, would time out if the kit started them one after another.
    inside = threading.Barrier(16)

    def fn(index):
        inside.wait(timeout=10)
        return threading.get_ident()

    run = run_concurrently(fn, threads=16)
    assert run.errors == []
    assert len(set(run.results)) == 16


def test_results_in_thread_order_and_errors_collected():
    def fn(index):
        if index % 2:
            raise ValueError(index)
        return index

    run = run_concurrently(fn, threads=4)
    assert run.results == [0, 2]
    assert sorted(error.args[0] for error in run.errors) == [1, 3]


def test_suite_refuses_a_package_imported_from_src(pytester, monkeypatch):
    pytester.mkdir("src")
    pytester.mkpydir("src/django_fakepkg")
    pytester.makeconftest(
        "import sys\nsys.path.insert(0, 'src')\nimport django_fakepkg  # noqa: F401\n"
    )
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    monkeypatch.setenv("PRIMITIVES_REQUIRE_INSTALLED", "1")
    result = pytester.runpytest_subprocess("-p", "no:django")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*must run against the installed packages*django_fakepkg*"])


MARKED_TESTS = """
import pytest

@pytest.mark.server_database
def test_threads():
    pass

@pytest.mark.postgresql
def test_postgresql_only():
    pass
"""


@pytest.mark.parametrize(
    ("vendor", "outcomes", "reasons"),
    [
        (
            "sqlite",
            {"skipped": 2},
            ["*needs a database server*", "*needs PostgreSQL*"],
        ),
        ("mysql", {"passed": 1, "skipped": 1}, ["*needs PostgreSQL, this run uses mysql*"]),
        ("postgresql", {"passed": 2}, []),
    ],
)
def test_markers_skip_by_database_with_the_reason_shown(pytester, vendor, outcomes, reasons):
    pytester.makeconftest(
        "from django.conf import settings\n"
        "settings.configure(DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', "
        "'NAME': ':memory:'}})\n"
        "from django.db import connections\n"
        f"connections['default'].vendor = {vendor!r}\n"
    )
    pytester.makepyfile(MARKED_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:django", "-rs")
    result.assert_outcomes(**outcomes)
    if reasons:
        result.stdout.fnmatch_lines(reasons, consecutive=False)


def test_base_settings_hash_passwords_fast_and_leave_the_suite_its_own_apps():
    from primitives_testkit import base_settings

    assert base_settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert not hasattr(base_settings, "INSTALLED_APPS")
    assert not hasattr(base_settings, "DATABASES")
    assert base_settings.database_from_env is database_from_env
