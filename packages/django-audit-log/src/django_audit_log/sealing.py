"""``seal()``: seal the entries written since the last run, after the fact.

Writers never wait for the sealer and take no lock for it: an entry is stamped when it is
written (``stamps.py``) and sealed later, by ``manage.py seal_audit_log`` or a periodic task
calling ``seal()``. Each run reads the committed entries that no seal holds yet, in
``(created_at, id)`` order, and writes one seal per ``SEAL_SIZE`` entries, each chained to the
previous one. Only runs of the sealer exclude each other (the seal's unique number).

Entries are sealed by membership, not by a time range: an entry committed late, with a time
earlier than entries already sealed, is simply sealed by the next run (the sealer looks back
``AUDIT_LOG_SEAL_LOOKBACK`` before the newest sealed entry for them). An entry someone inserted
directly into the table has no valid stamp: the sealer refuses it and ``verify()`` reports it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator

from django.db import IntegrityError, router, transaction
from django.db.models import Max
from django.utils import timezone

from django_audit_log import conf, stamps
from django_audit_log.exceptions import InvalidArgumentError, SealError
from django_audit_log.models import AuditLog, AuditSeal

SEAL_SIZE = 10_000  # entries per seal: 560 kB of records
_CHUNK = 2_000  # entries read per query


@dataclasses.dataclass
class SealRun:
    """What one run of ``seal()`` did."""

    seals: list[AuditSeal] = dataclasses.field(default_factory=list)
    sealed: int = 0
    # Entries left unsealed because their stamp is missing or wrong: not written by this
    # application with this key (``adopt_unstamped`` seals the missing ones).
    refused: list[AuditLog] = dataclasses.field(default_factory=list)


def entry_columns() -> list[str]:
    return [field.attname for field in AuditLog._meta.concrete_fields]


def seal(*, using: str | None = None, full: bool = False, adopt_unstamped: bool = False) -> SealRun:
    """Seal every committed entry that no seal holds yet; returns what was done.

    ``full`` looks at every entry instead of those since the lookback; ``adopt_unstamped``
    also seals entries without a stamp (written before a key was configured).
    """
    for name, value in (("full", full), ("adopt_unstamped", adopt_unstamped)):
        if not isinstance(value, bool):
            raise InvalidArgumentError(name, value, "True or False")
    if using is not None and not isinstance(using, str):
        raise InvalidArgumentError("using", using, "a database alias or None")
    keys = stamps.verifying_keys()
    key = keys[0]
    using = using or router.db_for_write(AuditSeal)
    run = SealRun()
    try:
        with transaction.atomic(using=using):
            last = AuditSeal.objects.using(using).order_by("-number").first()
            pending: list[bytes] = []
            for row in _unsealed_rows(using, None if full else last):
                entry = AuditLog(**row)
                if entry.stamp == "" and adopt_unstamped:
                    pass
                elif not stamps.stamp_is_valid(entry.stamp, entry.id, entry.created_at, keys):
                    run.refused.append(entry)
                    continue
                pending.append(stamps.record_of(row))
                if len(pending) == SEAL_SIZE:
                    last = _write_seal(using, key, last, pending, run)
                    pending = []
            if pending:
                _write_seal(using, key, last, pending, run)
    except IntegrityError as error:
        raise SealError(
            "another seal_audit_log run committed its seal first; expected one sealer at a "
            "time (run it again)"
        ) from error
    return run


def _unsealed_rows(using: str, last: AuditSeal | None) -> Iterator[dict[str, object]]:
    """The entries no seal holds, oldest first. After the first seal only those since the
    newest sealed entry minus the lookback are considered (and the seals covering them read)."""
    entries = AuditLog.objects.using(using).order_by("created_at", "id")
    seals = AuditSeal.objects.using(using)
    if last is not None:
        newest = seals.aggregate(newest=Max("last_created_at"))["newest"]
        since = newest - _lookback()
        entries = entries.filter(created_at__gte=since)
        seals = seals.filter(last_created_at__gte=since)
    sealed = {
        record[:16]
        for blob in seals.values_list("records", flat=True).iterator()
        for record in stamps.split_records(bytes(blob))
    }
    for row in entries.values(*entry_columns()).iterator(chunk_size=_CHUNK):
        if row["id"].bytes not in sealed:
            yield row


def _lookback() -> datetime.timedelta:
    value = conf.get("AUDIT_LOG_SEAL_LOOKBACK")
    if not isinstance(value, datetime.timedelta) or value < datetime.timedelta(0):
        raise SealError(f"AUDIT_LOG_SEAL_LOOKBACK is {value!r}; expected a positive timedelta")
    return value


def _write_seal(
    using: str, key: bytes, last: AuditSeal | None, records: list[bytes], run: SealRun
) -> AuditSeal:
    times = [int.from_bytes(record[16:24], "big", signed=True) for record in records]
    seal = AuditSeal(
        number=(last.number + 1) if last is not None else 1,
        sealed_at=timezone.now(),
        entry_count=len(records),
        first_created_at=_from_micros(min(times)),
        last_created_at=_from_micros(max(times)),
        records=b"".join(records),
        previous_mac=last.mac if last is not None else "",
        key_fingerprint=stamps.fingerprint(key),
    )
    seal.mac = stamps.seal_mac(key, seal.mac_fields(), bytes(seal.records))
    seal.save(using=using)
    run.seals.append(seal)
    run.sealed += len(records)
    return seal


def _from_micros(value: int) -> datetime.datetime:
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=value)
    return moment.replace(tzinfo=datetime.timezone.utc) if conf_uses_tz() else moment


def conf_uses_tz() -> bool:
    from django.conf import settings

    return bool(settings.USE_TZ)
