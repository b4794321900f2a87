"""Settings of the example host project: a small clinic-and-workshop that uses all ten packages.

SQLite by default; set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/primitives_demo) to
run it on PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # foundation
    "django_basemodels",
    "django_singleton",
    # primitives
    "django_parties",
    "django_rbac",
    "django_audit_log",
    "django_modules",
    "django_encounters",
    "django_catalog",
    "django_worklog",
    # the host's own apps: its domain, and the narrated demo on top of it
    "clinic",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # after authentication, so the audit context knows the user
    "django_audit_log.middleware.AuditContextMiddleware",
    # one query answers every module check of a request
    "django_modules.middleware.ModuleCacheMiddleware",
]

ROOT_URLCONF = "host.urls"
WSGI_APPLICATION = "host.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}

# The host decides how the primitives meet: its own user model, the organization model for
# modules, the encounter model for catalog baskets.
AUTH_USER_MODEL = "clinic.User"
MODULES_ORG_MODEL = "django_parties.Organization"
CATALOG_ENCOUNTER_MODEL = "django_encounters.Encounter"

# django-rbac: the module permissions this host talks about, created on migrate; the backend lets
# has_perm() answer from a user's current roles.
RBAC_MODULES = {
    "workshop": ["view", "edit"],
    "lab": ["view", "report"],
    "pharmacy": ["view", "dispense"],
}
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "django_rbac.backends.RoleBackend",
]

LOGIN_URL = "admin:login"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
