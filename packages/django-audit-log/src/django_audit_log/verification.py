"""``verify()``: check the seals and every entry against them (``manage.py verify_audit_log``).

What is checked, and what each finding means:

- every seal's MAC (made with the key, which the database never holds), its number (1, 2, 3...
  without gaps) and its link to the previous seal: a seal changed, removed or forged;
- every entry a seal holds: still there (else **deleted**, unless a stamped prune run removed
  it), with the same key, time and content (else **modified**; a foreign key that Django's
  ``SET NULL`` cleared is not a change);
- every entry no seal holds: it must carry a valid stamp (else **inserted**: the application did
  not write it). Those with a valid stamp are waiting for the next ``seal()`` and count as
  pending, not as findings.

Findings are sorted by the entry's place in ``(created_at, id)`` order, so the first one is the
earliest point from which history cannot be trusted.
"""

from __future__ import annotations

import dataclasses
import datetime
import hmac
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import router

from django_audit_log import stamps
from django_audit_log.exceptions import InvalidArgumentError
from django_audit_log.models import AuditLog, AuditSeal
from django_audit_log.sealing import entry_columns

PRUNE_ACTION = "audit_log.pruned"
_CHUNK = 1_000


@dataclasses.dataclass(frozen=True)
class Finding:
    kind: str  # "seal", "modified", "deleted", "inserted"
    detail: str
    entry_id: uuid.UUID | None = None
    created_at: int = 0  # microseconds since 1970: the entry's place in history

    def __str__(self) -> str:
        which = f"entry {self.entry_id}: " if self.entry_id is not None else ""
        return f"{self.kind}: {which}{self.detail}"


@dataclasses.dataclass
class Verification:
    seals: int = 0
    sealed: int = 0
    pending: int = 0
    findings: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        """The seal problem, else the earliest entry in history that was tampered with."""
        if not self.findings:
            return None
        return min(self.findings, key=lambda f: (f.kind != "seal", f.created_at, str(f.entry_id)))


def verify(*, using: str | None = None, head: tuple[int, str] | None = None) -> Verification:
    """Check the seals and the entries; nothing is written. ``SealError`` without a key.

    ``head``: a seal's ``(number, mac)`` recorded outside the database when it was made (the
    sealer prints it). Without one, removing the newest seals together with their entries
    leaves nothing to compare against; with one, that seal must still be there, unchanged.
    """
    if using is not None and not isinstance(using, str):
        raise InvalidArgumentError("using", using, "a database alias or None")
    if head is not None and not (
        isinstance(head, tuple)
        and len(head) == 2
        and isinstance(head[0], int)
        and isinstance(head[1], str)
    ):
        raise InvalidArgumentError("head", head, "a (number, mac) pair printed by seal()")
    keys = {stamps.fingerprint(key): key for key in stamps.verifying_keys()}
    using = using or router.db_for_read(AuditLog)
    result = Verification()
    pruned_before = _pruned_before(using, list(keys.values()))
    sealed_ids: set[bytes] = set()
    previous: AuditSeal | None = None
    for seal in AuditSeal.objects.using(using).order_by("number").iterator(chunk_size=50):
        result.seals += 1
        records = stamps.split_records(bytes(seal.records))
        _check_seal(seal, previous, records, keys, result)
        _check_members(using, records, pruned_before, result)
        sealed_ids.update(record[:16] for record in records)
        result.sealed += len(records)
        previous = seal
        if head is not None and seal.number == head[0] and seal.mac == head[1]:
            head = None  # found as recorded
    if head is not None:
        result.findings.append(
            Finding("seal", f"seal {head[0]} (the recorded head) is missing or altered")
        )
    _check_unsealed(using, sealed_ids, list(keys.values()), result)
    return result


def _check_seal(
    seal: AuditSeal,
    previous: AuditSeal | None,
    records: list[bytes],
    keys: dict[str, bytes],
    result: Verification,
) -> None:
    expected_number = previous.number + 1 if previous is not None else 1
    problems = []
    if seal.number != expected_number:
        problems.append(f"seal {expected_number} is missing (found seal {seal.number} next)")
    if seal.previous_mac != (previous.mac if previous is not None else ""):
        problems.append(f"seal {seal.number} does not link to the seal before it")
    key = keys.get(seal.key_fingerprint)
    if key is None:
        problems.append(
            f"seal {seal.number} was made with a key that is not configured "
            f"(fingerprint {seal.key_fingerprint!r}); expected AUDIT_LOG_SEAL_KEY or one of "
            "AUDIT_LOG_SEAL_OLD_KEYS"
        )
    elif (
        not hmac.compare_digest(
            seal.mac, stamps.seal_mac(key, seal.mac_fields(), bytes(seal.records))
        )
        or len(records) != seal.entry_count
    ):
        problems.append(f"seal {seal.number} was altered (its MAC does not match)")
    result.findings.extend(Finding("seal", problem) for problem in problems)


def _check_members(
    using: str, records: list[bytes], pruned_before: int | None, result: Verification
) -> None:
    wanted = {uuid.UUID(bytes=record[:16]): record for record in records}
    found: dict[uuid.UUID, dict[str, Any]] = {}
    ids = list(wanted)
    for start in range(0, len(ids), _CHUNK):
        chunk = AuditLog.objects.using(using).filter(id__in=ids[start : start + _CHUNK])
        found.update((row["id"], row) for row in chunk.values(*entry_columns()))
    for entry_id, record in wanted.items():
        moment = int.from_bytes(record[16:24], "big", signed=True)
        row = found.get(entry_id)
        if row is None:
            if pruned_before is None or moment >= pruned_before:
                result.findings.append(
                    Finding("deleted", "sealed, no longer in the table", entry_id, moment)
                )
            continue
        now = stamps.record_of(row)
        changed = [
            name
            for name, part, detachable in (
                ("its key or time", slice(0, 24), None),
                ("its content", slice(24, 40), None),
                ("its actor", slice(40, 48), "actor_id"),
                ("its target's content type", slice(48, 56), "target_content_type_id"),
            )
            if now[part] != record[part] and not (detachable and row[detachable] is None)
        ]
        if changed:
            detail = f"sealed, then changed: {', '.join(changed)}"
            result.findings.append(Finding("modified", detail, entry_id, moment))


def _check_unsealed(
    using: str, sealed_ids: set[bytes], keys: list[bytes], result: Verification
) -> None:
    for row in _entries(using):
        if row["id"].bytes in sealed_ids:
            continue
        if stamps.stamp_is_valid(row["stamp"], row["id"], row["created_at"], keys):
            result.pending += 1
            continue
        detail = (
            "not written by this application: no valid stamp"
            if row["stamp"]
            else "has no stamp and no seal holds it (written before a key was set, or inserted)"
        )
        moment = stamps.micros(row["created_at"])
        result.findings.append(Finding("inserted", detail, row["id"], moment))


def _entries(using: str) -> Iterator[Mapping[str, Any]]:
    entries = AuditLog.objects.using(using).order_by("created_at", "id")
    yield from entries.values("id", "created_at", "stamp").iterator(chunk_size=_CHUNK)


def _pruned_before(using: str, keys: list[bytes]) -> int | None:
    """The latest cut-off of a prune run whose own entry is authentic (stamped): sealed
    entries older than it were removed by retention, not by an attacker."""
    latest = None
    runs = AuditLog.objects.using(using).filter(action=PRUNE_ACTION, is_system=True)
    for row in runs.values("id", "created_at", "stamp", "metadata"):
        if not stamps.stamp_is_valid(row["stamp"], row["id"], row["created_at"], keys):
            continue
        try:
            before = datetime.datetime.fromisoformat(str(row["metadata"]["before"]))
        except (KeyError, TypeError, ValueError):
            continue
        cut = stamps.micros(before)
        latest = cut if latest is None else max(latest, cut)
    return latest
