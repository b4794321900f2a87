from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, database_from_env

DATABASES = database_from_env("catalog")
INSTALLED_APPS = [
    *CONTRIB_APPS,
    "django_basemodels",
    "django_singleton",
    "django_catalog",
    "tests.testapp",
]
CATALOG_ENCOUNTER_MODEL = "testapp.Encounter"
