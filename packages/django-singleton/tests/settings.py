from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, database_from_env

DATABASES = database_from_env("singleton")
INSTALLED_APPS = [*CONTRIB_APPS, "django_singleton", "tests.testapp"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "singletons": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "singletons",
    },
}
# testapp.TaxSettings lacks a default on purpose (tests of get_instance() and of this check,
# which call it directly); keep management commands such as makemigrations quiet about it.
SILENCED_SYSTEM_CHECKS = ["singleton.W002"]
