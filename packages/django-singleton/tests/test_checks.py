import pytest
from django.db import models
from django.test.utils import isolate_apps

from django_singleton.checks import check_cache_alias, check_singleton_models
from django_singleton.models import SingletonModel


def ids(messages):
    return [message.id for message in messages]


def test_no_cache_setting_no_message():
    assert check_cache_alias() == []


def test_unknown_cache_alias_is_an_error(settings):
    settings.SINGLETON_CACHE = "nope"
    [error] = check_cache_alias()
    assert error.id == "singleton.E001"
    assert "'nope'" in error.msg
    assert error.hint


def test_process_local_cache_is_a_warning(settings):
    settings.SINGLETON_CACHE = "singletons"
    assert ids(check_cache_alias()) == ["singleton.W001"]


def test_shared_cache_backend_passes(settings, tmp_path):
    settings.CACHES = {
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.SINGLETON_CACHE = "shared"
    assert check_cache_alias() == []


def test_field_without_default_is_a_warning_naming_it():
    messages = [m for m in check_singleton_models() if m.id == "singleton.W002"]
    assert [m.obj._meta.label for m in messages] == ["testapp.TaxSettings"]
    assert "['tax_rate']" in messages[0].msg


@isolate_apps("tests.testapp")
def test_replaced_primary_key_is_an_error(monkeypatch):
    class BadKey(SingletonModel):
        code = models.CharField(max_length=10, primary_key=True)

        class Meta:
            app_label = "testapp"

    monkeypatch.setattr("django_singleton.checks._singleton_models", lambda: [BadKey])
    [error] = check_singleton_models()
    assert error.id == "singleton.E002"
    assert "'code'" in error.msg


@pytest.mark.django_db
def test_the_test_models_pass_the_pk_check():
    assert "singleton.E002" not in ids(check_singleton_models())
