from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, MIDDLEWARE, database_from_env

DATABASES = database_from_env("audit_log")
INSTALLED_APPS = [*CONTRIB_APPS, "django_basemodels", "django_audit_log", "tests.testapp"]
MIDDLEWARE = [*MIDDLEWARE, "django_audit_log.middleware.AuditContextMiddleware"]
