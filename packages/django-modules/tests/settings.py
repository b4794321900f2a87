from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, MIDDLEWARE, database_from_env

DATABASES = database_from_env("modules")
INSTALLED_APPS = [*CONTRIB_APPS, "django_basemodels", "django_modules", "tests.testapp"]
MIDDLEWARE = [*MIDDLEWARE, "django_modules.middleware.ModuleCacheMiddleware"]
MODULES_ORG_MODEL = "testapp.Organization"
