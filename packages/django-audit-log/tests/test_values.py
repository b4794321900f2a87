import datetime
import decimal
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.test import override_settings

from django_audit_log.values import clean_changes, clean_metadata, is_sensitive, jsonable


def test_jsonable_handles_common_types():
    value = {
        "when": datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        "day": datetime.date(2025, 1, 2),
        "price": decimal.Decimal("1.50"),
        "id": uuid.UUID(int=1),
        "tags": ("a", "b"),
        "blob": b"\x00\x01",
        "other": object,
    }
    result = jsonable(value)
    assert result["when"] == "2025-01-02T03:04:05Z"
    assert result["day"] == "2025-01-02"
    assert result["price"] == "1.50"
    assert result["id"] == "00000000-0000-0000-0000-000000000001"
    assert result["tags"] == ["a", "b"]
    assert result["blob"] == "<2 bytes>"
    assert result["other"] == "<class 'object'>"


def test_jsonable_writes_what_djangos_json_encoder_writes():
    """The fast path for exact types must not change a value's form: a datetime (a date
    subclass) keeps the encoder's milliseconds and "Z", not date.isoformat()."""
    encoder = DjangoJSONEncoder()
    for value in (
        datetime.datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc),
        datetime.date(2025, 1, 2),
        datetime.time(3, 4, 5, 678901),
        datetime.timedelta(days=1, seconds=5),
        decimal.Decimal("10.00"),
        uuid.UUID(int=7),
    ):
        assert jsonable(value) == encoder.default(value), value


def test_default_keys_are_masked_by_substring_case_insensitively():
    for key in ("password", "DB_PASSWORD", "reset_token", "client_secret", "X-Api-Key", "apikey"):
        assert is_sensitive(key), key
    for key in ("name", "email", "amount"):
        assert not is_sensitive(key), key


def test_metadata_is_redacted_at_any_depth():
    cleaned = clean_metadata({"user": "a", "auth": {"token": "t", "scheme": "bearer"}})
    assert cleaned == {"user": "a", "auth": {"token": "[redacted]", "scheme": "bearer"}}


def test_changes_are_redacted_and_none_is_kept():
    cleaned = clean_changes(
        {"password": {"old": None, "new": "x"}, "name": {"old": "a", "new": "b"}}
    )
    assert cleaned == {
        "password": {"old": None, "new": "[redacted]"},
        "name": {"old": "a", "new": "b"},
    }


def test_bare_change_values_become_new_values():
    assert clean_changes({"status": "done"}) == {"status": {"new": "done"}}


@override_settings(AUDIT_LOG_REDACT_KEYS=["iban"], AUDIT_LOG_REDACT_MASK="***")
def test_keys_and_mask_come_from_settings():
    assert clean_metadata({"iban": "DE00", "password": "visible now"}) == {
        "iban": "***",
        "password": "visible now",
    }
