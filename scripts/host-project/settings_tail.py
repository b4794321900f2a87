# Added by scripts/check-host to the settings `django-admin startproject` wrote: the two apps
# `startapp` made, django-audit-log and what it needs, PostgreSQL, and the test runner that lets
# transactional tests flush its append-only table.
import os

INSTALLED_APPS += ["django_basemodels", "django_audit_log", "shop", "billing"]  # noqa: F821
MIDDLEWARE += ["django_audit_log.middleware.AuditContextMiddleware"]  # noqa: F821
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["HOST_CHECK_DB_NAME"],
        "USER": os.environ.get("PGUSER", "postgres"),
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
    }
}
TEST_RUNNER = "django_basemodels.testing.AppendOnlyTestRunner"
