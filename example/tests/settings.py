"""The host's settings plus the app the docs' code examples define their models in."""

from host.settings import *  # noqa: F403
from host.settings import INSTALLED_APPS

# The fast password hasher of the packages' suites: the demo the tests run creates users with a
# password and the browser tests log in; none of it is about password strength.
from primitives_testkit.base_settings import PASSWORD_HASHERS  # noqa: F401

INSTALLED_APPS = [*INSTALLED_APPS, "docs_examples"]

# On PostgreSQL the test database is named as the packages' are (test_example, plus the checkout's
# PRIMITIVES_TEST_DB_SUFFIX), so that two checkouts, or this suite beside another, never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    from primitives_testkit.settings import database_from_env

    DATABASES["default"]["TEST"] = database_from_env("example")["default"]["TEST"]  # noqa: F405

# On SQLite the tests use a database file rather than memory: the admin browser test serves the
# site from other threads, and with a file each thread has its own connection instead of sharing
# the test's one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}  # noqa: F405

# On MariaDB, the test kit's settings: a test database of the suite's own (with the checkout's
# PRIMITIVES_TEST_DB_SUFFIX) in utf8mb4.
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":  # noqa: F405
    from primitives_testkit.settings import database_from_env

    DATABASES = database_from_env("example")
