from django.test import override_settings

from django_audit_log import conf


def test_defaults_live_in_one_place():
    assert conf.get("AUDIT_LOG_TRUSTED_PROXIES") == []
    assert conf.get("AUDIT_LOG_REQUEST_ID_HEADER") == "X-Request-ID"
    assert "password" in conf.get("AUDIT_LOG_REDACT_KEYS")
    assert conf.get("AUDIT_LOG_REDACT_MASK") == "[redacted]"
    assert conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT") == 10_000
    assert conf.get("AUDIT_LOG_ADMIN_SEARCH_WINDOW") == 10_000
    assert conf.get("AUDIT_LOG_ADMIN_ACTIONS") == []


def test_settings_are_read_at_call_time():
    with override_settings(AUDIT_LOG_ADMIN_COUNT_LIMIT=5):
        assert conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT") == 5
    assert conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT") == 10_000


def test_a_value_read_before_a_change_is_not_served_after_it(settings):
    assert conf.get("AUDIT_LOG_REDACT_MASK") == "[redacted]"  # read, and remembered
    with override_settings(AUDIT_LOG_REDACT_MASK="***"):
        assert conf.get("AUDIT_LOG_REDACT_MASK") == "***"
    assert conf.get("AUDIT_LOG_REDACT_MASK") == "[redacted]"
    settings.AUDIT_LOG_REDACT_MASK = "###"  # pytest-django's fixture announces changes too
    assert conf.get("AUDIT_LOG_REDACT_MASK") == "###"
