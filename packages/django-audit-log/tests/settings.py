from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, MIDDLEWARE, database_from_env

DATABASES = database_from_env("audit_log")
INSTALLED_APPS = [
    *CONTRIB_APPS,
    "django.contrib.staticfiles",  # the browser tests see the admin with its style sheets
    "django_basemodels",
    "django_audit_log",
    "tests.testapp",
]
MIDDLEWARE = [*MIDDLEWARE, "django_audit_log.middleware.AuditContextMiddleware"]
# Stamps and seals entries (tamper evidence); a real deployment reads it from its secrets.
AUDIT_LOG_SEAL_KEY = "tests-only-seal-key-0123456789abcdef"
STATIC_URL = "/static/"  # the admin pages name their files; the live server must too
