"""Settings that django-stubs loads while mypy checks every package's ``src/`` at once.

Only the type checker imports this module: it installs all nine Django apps with Django's own
user model, so the swappable settings each package reads point at models that exist here.
"""

SECRET_KEY = "type-checking-only"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.sessions",
    "django_basemodels",
    "django_singleton",
    "django_parties",
    "django_rbac",
    "django_audit_log",
    "django_modules",
    "django_encounters",
    "django_catalog",
    "django_worklog",
]
CATALOG_ENCOUNTER_MODEL = "django_encounters.Encounter"
MODULES_ORG_MODEL = "django_parties.Organization"
