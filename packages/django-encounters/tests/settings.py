from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, database_from_env

DATABASES = database_from_env("encounters")
INSTALLED_APPS = [*CONTRIB_APPS, "django_basemodels", "django_encounters", "tests.testapp"]
STATIC_URL = "/static/"  # the admin pages name their files; the live server must too
