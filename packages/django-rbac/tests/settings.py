from primitives_testkit.base_settings import *  # noqa: F403
from primitives_testkit.base_settings import CONTRIB_APPS, database_from_env

DATABASES = database_from_env("rbac")
INSTALLED_APPS = [*CONTRIB_APPS, "django_basemodels", "django_rbac", "tests.testapp"]
AUTH_USER_MODEL = "testapp.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "django_rbac.backends.RoleBackend",
]
RBAC_MODULES = {"practice": ["view", "edit"], "billing": ["view", "refund"]}
LOGIN_URL = "/login/"
