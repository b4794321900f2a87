"""Settings of the benchmark: PostgreSQL, every peer installed (see requirements.txt)."""

import os

import dj_database_url

SECRET_KEY = "bench-only"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
}
DATABASES["default"]["TEST"] = {"NAME": "bench_audit_log"}
if os.environ.get("BENCH_SYNCHRONOUS_COMMIT", "off") == "off":
    # Without a WAL flush per commit the numbers show what the code costs (CPU, round trips)
    # instead of the disk; BENCH_SYNCHRONOUS_COMMIT=on measures with the flush.
    DATABASES["default"]["OPTIONS"] = {"options": "-c synchronous_commit=off"}
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_basemodels",
    "django_audit_log",
    "auditlog",
    "pgtrigger",
    "pghistory",
    "benchapp",
]
# benchapp has no migrations: install pghistory's triggers when the tables are created.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
