"""The host's settings plus the app the docs' code examples define their models in."""

from host.settings import *  # noqa: F403
from host.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "docs_examples"]

# On SQLite the tests use a database file rather than memory: the admin browser test serves the
# site from other threads, and with a file each thread has its own connection instead of sharing
# the test's one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}  # noqa: F405
