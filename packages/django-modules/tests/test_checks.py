import os
import subprocess
import sys
from pathlib import Path

import pytest

from django_modules.checks import check_middleware, check_org_model

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def ids(messages):
    return [message.id for message in messages]


def test_configured_project_passes():
    assert check_org_model() == []
    assert check_middleware() == []


def test_missing_setting_is_e001_with_a_hint(settings):
    del settings.MODULES_ORG_MODEL
    (error,) = check_org_model()
    assert error.id == "modules.E001"
    assert "MODULES_ORG_MODEL" in error.msg
    assert "django_parties.Organization" in error.hint


@pytest.mark.parametrize("value", ["Organization", "a.b.c", ".Organization", 42])
def test_malformed_setting_is_e002(settings, value):
    settings.MODULES_ORG_MODEL = value
    (error,) = check_org_model()
    assert error.id == "modules.E002"
    assert repr(value) in error.msg
    assert "app_label.ModelName" in error.hint


@pytest.mark.parametrize("value", ["testapp.Nope", "nope.Organization", "auth.AbstractUser"])
def test_setting_naming_no_installed_concrete_model_is_e003(settings, value):
    settings.MODULES_ORG_MODEL = value
    (error,) = check_org_model()
    assert error.id == "modules.E003"
    assert value in error.msg
    assert "INSTALLED_APPS" in error.hint


def test_missing_middleware_is_w001(settings):
    settings.MIDDLEWARE = []
    (warning,) = check_middleware()
    assert warning.id == "modules.W001"
    assert "ModuleCacheMiddleware" in warning.hint


def run_django(*args, bad_org_model=""):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_bad_org",
        "BAD_ORG_MODEL": bad_org_model,
        "PYTHONPATH": ".",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=PACKAGE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("value", "check_id"),
    [("", "modules.E001"), ("Organization", "modules.E002"), ("nope.Organization", "modules.E003")],
)
def test_bad_setting_reported_by_manage_check_not_a_traceback(value, check_id):
    result = run_django("-m", "django", "check", bad_org_model=value)
    assert result.returncode != 0
    assert check_id in result.stderr
    assert "HINT" in result.stderr
    assert "Traceback" not in result.stderr


def test_forgotten_setting_raises_improperly_configured_naming_it():
    code = (
        "import django; django.setup()\n"
        "from django_modules import is_module_enabled\n"
        "is_module_enabled(object(), 'pharmacy')\n"
    )
    result = run_django("-c", code)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert "MODULES_ORG_MODEL is not set" in last_line
    assert "Set MODULES_ORG_MODEL" in last_line
