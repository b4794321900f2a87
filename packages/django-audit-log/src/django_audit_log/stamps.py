"""The keyed digests behind tamper evidence: the stamp every entry carries, and the record of an
entry that a seal keeps.

Both are HMAC-SHA256 with ``AUDIT_LOG_SEAL_KEY``, a secret from the settings that is never
written to the database. Someone who can write to the database but does not hold the key can
change rows, but cannot compute the stamp of a row they invent, nor the seal over rows they
changed.

- The **stamp** binds an entry's key and time (``id``, ``created_at``); it is computed when the
  entry is written (about a microsecond) and proves that the application wrote an entry with
  that key at that time. An entry that someone inserts later, backdated or not, has no valid
  stamp.
- A **record** (56 bytes) pins an entry's whole content when it is sealed: key, time, a digest
  of every other column, and digests of the two foreign keys kept apart, because Django's
  ``ON DELETE SET NULL`` may later clear them without anyone tampering.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django_audit_log import conf
from django_audit_log.exceptions import SealError

STAMP_LENGTH = 32  # hex characters: 128 bits of HMAC-SHA256
RECORD_SIZE = 56  # id 16 + time 8 + content 16 + actor 8 + target type 8
MIN_KEY_LENGTH = 32
_EPOCH = datetime.datetime(1970, 1, 1)
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
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return (moment - _EPOCH) // _MICROSECOND


def stamp_with(key: bytes, entry_id: uuid.UUID, created_at: datetime.datetime) -> str:
    message = b"stamp\0" + entry_id.bytes + micros(created_at).to_bytes(8, "big", signed=True)
    return hmac.digest(key, message, "sha256")[: STAMP_LENGTH // 2].hex()


def stamp_of(entry_id: uuid.UUID, created_at: datetime.datetime) -> str:
    """The stamp an entry written now carries: ``""`` when no key is configured."""
    key = current_key()
    return "" if key is None else stamp_with(key, entry_id, created_at)


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
