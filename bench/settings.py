"""The one settings module of the benchmark: our apps, the peers' apps and the bench-only models.

BENCH_DATABASE picks the database: ``sqlite`` (in memory) or a PostgreSQL URL. The harness
creates and drops the scratch database ``bench_primitives`` on that server; PostgreSQL-only
peers (django-pghistory) are installed only there.
"""

import os

import dj_database_url

SECRET_KEY = "bench-only"
USE_TZ = True
DEBUG = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_url = os.environ.get("BENCH_DATABASE", "sqlite")
POSTGRESQL = _url.startswith("postgres")
if POSTGRESQL:
    DATABASES = {"default": dj_database_url.parse(_url)}
    # PRIMITIVES_TEST_DB_SUFFIX keeps two checkouts' runs on one server apart, as in the suites.
    suffix = os.environ.get("PRIMITIVES_TEST_DB_SUFFIX", "")
    DATABASES["default"]["TEST"] = {"NAME": f"bench_primitives{suffix}"}
    # Without a WAL flush per commit the figures show what the code costs (CPU, round trips),
    # not the shared machine's disk; both sides of every pair run under the same setting.
    DATABASES["default"]["OPTIONS"] = {"options": "-c synchronous_commit=off"}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # ours
    "django_basemodels",
    "django_singleton",
    "django_parties",
    "django_rbac",
    "django_audit_log",
    "django_modules",
    "django_encounters",
    "django_catalog",
    "django_worklog",
    # the peers
    "auditlog",
    "simple_history",
    "solo",
    "safedelete",
    "django_fsm",
    "waffle",
    # bench-only models
    "benchapp",
]
if POSTGRESQL:
    INSTALLED_APPS += ["pgtrigger", "pghistory", "benchpg"]

AUTH_USER_MODEL = "benchapp.User"  # has RBACUserMixin, as a host using django-rbac would
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "django_rbac.backends.RoleBackend",
]
RBAC_MODULES = {"practice": ["view", "edit"], "billing": ["view", "refund"]}
MODULES_ORG_MODEL = "benchapp.Organization"
CATALOG_ENCOUNTER_MODEL = "benchapp.Visit"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "singletons": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
SILENCED_SYSTEM_CHECKS = ["modules.W001", "audit_log.W001"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
