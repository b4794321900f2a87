"""The keyed digests behind tamper evidence: the stamp every entry carries, and the record of an
entry that a seal keeps.

Both are keyed with ``AUDIT_LOG_SEAL_KEY``, a secret from the settings that is never
written to the database. Someone who can write to the database but does not hold the key can
change rows, but cannot compute the stamp of a row they invent, nor the seal over rows they
changed.

- The **stamp** binds an entry's key and time (``id``, ``created_at``): a keyed BLAKE2b (with
  a key derived from ``AUDIT_LOG_SEAL_KEY``), computed when the entry is written (about a
  microsecond) and proves that the application wrote an entry with
  that key at that time. An entry that someone inserts later, backdated or not, has no valid
  stamp.
- A **record** (56 bytes) pins an entry's whole content when it is sealed: key, time, a digest
  of every other column, and digests of the two foreign keys kept apart, because Django's
  ``ON DELETE SET NULL`` may later clear them without anyone tampering.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django_audit_log import conf
from django_audit_log.exceptions import SealError

STAMP_LENGTH = 32  # hex characters: 128 bits of keyed BLAKE2b
RECORD_SIZE = 56  # id 16 + time 8 + content 16 + actor 8 + target type 8
MIN_KEY_LENGTH = 32
_EPOCH = datetime.datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=datetime.timezone.utc)
_MICROSECOND = datetime.timedelta(microseconds=1)
# Columns a record keeps out of the content digest: the key and time are stored as they are,
# and the two foreign keys may be set to NULL by Django (a deleted user or content type).
_APART = ("id", "created_at", "actor_id", "target_content_type_id")


def key_bytes(key: Any, setting: str = "AUDIT_LOG_SEAL_KEY") -> bytes:
    """``key`` as bytes; a key that is not a string of at least 32 characters is refused."""
    if isinstance(key, str):
        key = key.encode()
    if not isinstance(key, bytes) or len(key) < MIN_KEY_LENGTH:
        raise SealError(
            f"{setting} is {'set' if key else 'not set'} but unusable; expected a secret string "
            f"of at least {MIN_KEY_LENGTH} characters (e.g. from secrets.token_urlsafe(48)), "
            "kept out of the database"
        )
    return key


def current_key() -> bytes | None:
    """The key that stamps and seals now, or ``None`` when tamper evidence is off."""
    key = conf.get("AUDIT_LOG_SEAL_KEY")
    return None if key is None else key_bytes(key)


def verifying_keys() -> list[bytes]:
    """The current key first, then the old ones; ``SealError`` when there is none."""
    key = current_key()
    if key is None:
        raise SealError(
            "AUDIT_LOG_SEAL_KEY is not set; expected a secret string of at least "
            f"{MIN_KEY_LENGTH} characters in the settings to seal and verify the audit log"
        )
    old = conf.get("AUDIT_LOG_SEAL_OLD_KEYS")
    return [key, *(key_bytes(k, "AUDIT_LOG_SEAL_OLD_KEYS") for k in old)]


def fingerprint(key: bytes) -> str:
    """Names a key without revealing it (seals record which key made them)."""
    return hmac.digest(key, b"django-audit-log key fingerprint", "sha256")[:8].hex()


def micros(moment: datetime.datetime) -> int:
    """Microseconds since 1970 (UTC for aware datetimes): exact, unlike floats or ISO text."""
    epoch = _EPOCH if moment.tzinfo is None else _EPOCH_UTC
    return (moment - epoch) // _MICROSECOND


@functools.lru_cache(maxsize=8)
def _stamping_key(key: bytes) -> bytes:
    """The key stamps are made with, derived from ``key`` once (stamps and seals never share a
    key, and BLAKE2b takes at most 64 bytes of key)."""
    return hmac.digest(key, b"django-audit-log stamp key", "sha256")


def stamp_with(key: bytes, entry_id: uuid.UUID, created_at: datetime.datetime) -> str:
    # Keyed BLAKE2b is a MAC in one call: a third of HMAC's cost on the write path.
    message = entry_id.bytes + micros(created_at).to_bytes(8, "big", signed=True)
    return hashlib.blake2b(
        message, key=_stamping_key(key), digest_size=STAMP_LENGTH // 2, person=b"audit stamp"
    ).hexdigest()


def stamp_of(entry_id: uuid.UUID, created_at: datetime.datetime) -> str:
    """The stamp an entry written now carries: ``""`` when no key is configured."""
    key = conf.get("AUDIT_LOG_SEAL_KEY")
    if key is None:
        return ""
    return stamp_with(_checked_key(key), entry_id, created_at)


def _checked_key(key: Any) -> bytes:
    """``key_bytes`` remembered per setting value (read on every write)."""
    if isinstance(key, (str, bytes)):
        return _key_bytes_cached(key)
    return key_bytes(key)  # raises SealError


@functools.lru_cache(maxsize=8)
def _key_bytes_cached(key: str | bytes) -> bytes:
    return key_bytes(key)


def stamp_is_valid(stamp: str, entry_id: uuid.UUID, created_at: Any, keys: Iterable[bytes]) -> bool:
    if not stamp or not isinstance(created_at, datetime.datetime):
        return False
    return any(hmac.compare_digest(stamp, stamp_with(key, entry_id, created_at)) for key in keys)


def _digest(*parts: bytes) -> bytes:
    return hashlib.sha256(b"\0".join(parts)).digest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_of(row: Mapping[str, Any]) -> bytes:
    """The 56-byte record of an entry read from the database (values by attname)."""
    content = {name: value for name, value in row.items() if name not in _APART}
    entry_id: uuid.UUID = row["id"]
    return (
        entry_id.bytes
        + micros(row["created_at"]).to_bytes(8, "big", signed=True)
        + _digest(b"content", _canonical(content).encode())[:16]
        + foreign_key_digest("actor", row["actor_id"])
        + foreign_key_digest("target", row["target_content_type_id"])
    )


def foreign_key_digest(name: str, value: Any) -> bytes:
    return _digest(name.encode(), _canonical(value).encode())[:8]


def split_records(blob: bytes) -> list[bytes]:
    return [blob[i : i + RECORD_SIZE] for i in range(0, len(blob), RECORD_SIZE)]


def seal_mac(key: bytes, fields: Mapping[str, Any], records: bytes) -> str:
    """The MAC of a seal: its number, time, range, link to the previous seal and records."""
    header = _canonical(
        {
            name: micros(value) if isinstance(value, datetime.datetime) else value
            for name, value in fields.items()
        }
    )
    return hmac.new(key, b"seal\0" + header.encode() + b"\0" + records, "sha256").hexdigest()
