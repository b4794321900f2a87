"""Settings of the benchmark: the database named by DATABASE_URL (SQLite in memory without it)."""

import os

import dj_database_url

SECRET_KEY = "bench-only"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
_url = os.environ.get("DATABASE_URL", "").strip()
if _url:
    DATABASES = {"default": dj_database_url.parse(_url)}
    # A scratch database, created and dropped by the benchmark.
    DATABASES["default"]["TEST"] = {"NAME": "bench_catalog"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_basemodels",
    "django_singleton",
    "django_catalog",
    "benchapp",
]
CATALOG_ENCOUNTER_MODEL = "benchapp.Encounter"
