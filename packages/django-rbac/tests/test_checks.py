import pytest
from django.test import override_settings

from django_rbac.checks import check_guarded_views, check_modules_setting, check_user_model


def test_valid_modules_pass():
    assert check_modules_setting() == []


@pytest.mark.parametrize(
    "value",
    [
        ["practice"],
        {"Practice": ["view"]},
        {"practice": "view"},
        {"practice": ["view", "has.dot"]},
        {"p" * 60: ["a" * 50]},
    ],
)
def test_invalid_modules_are_errors(settings, value):
    settings.RBAC_MODULES = value
    errors = check_modules_setting()
    assert errors
    assert {error.id for error in errors} == {"rbac.E001"}
    assert all(error.hint for error in errors)


def test_user_model_with_mixin_passes():
    assert check_user_model() == []


@override_settings(AUTH_USER_MODEL="auth.User")
def test_user_model_without_mixin_warns():
    (warning,) = check_user_model()
    assert warning.id == "rbac.W001"
    assert "auth.User" in warning.msg


def test_guarded_views_naming_undeclared_permissions_warn():
    warnings = check_guarded_views()
    # tests/urls.py guards one view with ("practise", "view"); the mixin that forgot its names
    # is left to its own ImproperlyConfigured.
    assert [warning.id for warning in warnings] == ["rbac.W002"]
    assert warnings[0].msg.startswith("The view at 'undeclared-module/' requires")
    assert "('practise', 'view')" in warnings[0].msg
    assert "RBAC_STRICT_MODULES" in warnings[0].hint


def test_guarded_views_with_declared_permissions_pass(settings):
    settings.RBAC_MODULES = {**settings.RBAC_MODULES, "practise": ["view"]}
    assert check_guarded_views() == []


def test_the_lazy_public_names_are_the_declared_ones():
    import django_rbac

    assert sorted(django_rbac.__all__) == sorted(django_rbac._LAZY)
    assert all(getattr(django_rbac, name) for name in django_rbac.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        django_rbac.nothing  # noqa: B018
