"""The settings every package's ``tests/settings.py`` starts from.

A suite's settings module imports everything from here and adds only what is its own::

    from primitives_testkit.base_settings import *  # noqa: F403
    from primitives_testkit.base_settings import CONTRIB_APPS, database_from_env

    DATABASES = database_from_env("catalog")
    INSTALLED_APPS = [*CONTRIB_APPS, "django_basemodels", "django_catalog", "tests.testapp"]

``INSTALLED_APPS`` and ``DATABASES`` are left to the suite on purpose: they say what it tests and
where its test database lives.
"""

from __future__ import annotations

from primitives_testkit.settings import database_from_env

__all__ = [
    "CONTRIB_APPS",
    "DEFAULT_AUTO_FIELD",
    "MIDDLEWARE",
    "PASSWORD_HASHERS",
    "ROOT_URLCONF",
    "SECRET_KEY",
    "TEMPLATES",
    "USE_TZ",
    "database_from_env",
]

SECRET_KEY = "tests-only"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The suites create thousands of users and assert nothing about password strength; Django's
# default hasher (PBKDF2, over a million iterations) made user creation most of the run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The Django apps every suite's admin, users and generic relations need.
CONTRIB_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

# Every suite serves the admin from its own tests/urls.py.
ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
