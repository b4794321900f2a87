import pytest
from django.test import override_settings

from django_audit_log import checks
from tests.testapp.models import Invoice


def ids(messages):
    return [message.id for message in messages]


def test_default_settings_pass():
    assert checks.check_trusted_proxies() == []
    assert checks.check_redact_keys() == []
    assert checks.check_tracked_models() == []
    assert checks.check_middleware() == []
    assert checks.check_admin_settings() == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AUDIT_LOG_ADMIN_COUNT_LIMIT", 0),
        ("AUDIT_LOG_ADMIN_COUNT_LIMIT", "100"),
        ("AUDIT_LOG_ADMIN_SEARCH_WINDOW", True),
        ("AUDIT_LOG_ADMIN_SEARCH_WINDOW", -5),
        ("AUDIT_LOG_ADMIN_ACTIONS", "login"),
        ("AUDIT_LOG_ADMIN_ACTIONS", ["login", ""]),
        ("AUDIT_LOG_ADMIN_ACTIONS", [3]),
    ],
)
def test_bad_admin_settings(name, value):
    with override_settings(**{name: value}):
        messages = checks.check_admin_settings()
    assert ids(messages) == ["audit_log.E007"]
    assert name in messages[0].msg
    assert repr(value) in messages[0].msg


def test_good_admin_settings():
    with override_settings(
        AUDIT_LOG_ADMIN_COUNT_LIMIT=500,
        AUDIT_LOG_ADMIN_SEARCH_WINDOW=1,
        AUDIT_LOG_ADMIN_ACTIONS=("invoice.sent", "login"),
    ):
        assert checks.check_admin_settings() == []


@pytest.mark.parametrize("value", ["10.0.0.1", ["10.0.0.1", "not-an-ip"], 5])
def test_bad_trusted_proxies(value):
    with override_settings(AUDIT_LOG_TRUSTED_PROXIES=value):
        messages = checks.check_trusted_proxies()
    assert ids(messages) == ["audit_log.E001"]
    assert messages[0].hint


def test_good_trusted_proxies():
    with override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8", "::1", "192.0.2.7"]):
        assert checks.check_trusted_proxies() == []


@pytest.mark.parametrize("value", ["password", ["password", ""], [3]])
def test_bad_redact_keys(value):
    with override_settings(AUDIT_LOG_REDACT_KEYS=value):
        assert ids(checks.check_redact_keys()) == ["audit_log.E002"]


def test_unknown_tracked_field_and_bad_sensitivity(monkeypatch):
    monkeypatch.setattr(Invoice, "audit_fields", ("number", "nope"))
    monkeypatch.setattr(Invoice, "audit_sensitivity", "secret")
    messages = checks.check_tracked_models()
    assert ids(messages) == ["audit_log.E003", "audit_log.E004"]
    assert "'nope'" in messages[0].msg
    assert messages[0].obj is Invoice


def test_missing_middleware_warns():
    with override_settings(MIDDLEWARE=[]):
        messages = checks.check_middleware()
    assert ids(messages) == ["audit_log.W001"]


def test_seal_settings_pass_with_a_key_and_without_one():
    assert checks.check_seal_settings() == []
    with override_settings(AUDIT_LOG_SEAL_KEY=None):
        assert checks.check_seal_settings() == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"AUDIT_LOG_SEAL_KEY": "short"}, ["audit_log.E005"]),
        ({"AUDIT_LOG_SEAL_KEY": 12345}, ["audit_log.E005"]),
        ({"AUDIT_LOG_SEAL_OLD_KEYS": ["short"]}, ["audit_log.E005"]),
        ({"AUDIT_LOG_SEAL_OLD_KEYS": "a-single-key-not-in-a-list-0123456789"}, ["audit_log.E005"]),
        ({"AUDIT_LOG_SEAL_LOOKBACK": 3600}, ["audit_log.E006"]),
    ],
)
def test_bad_seal_settings(settings, expected):
    with override_settings(**settings):
        messages = checks.check_seal_settings()
    assert ids(messages) == expected
    assert messages[0].hint
