"""django-audit-log: what change tracking costs per save, per explicit log() and per bulk update.

The same six-field model (benchapp.models.Fields) five times: plain, AuditTrackedModel,
registered with django-auditlog, with django-simple-history's HistoricalRecords and (PostgreSQL
only) tracked by django-pghistory's triggers; plain, tracked and pghistory once more with a UUID
key. Saves run in autocommit, as a view would. On PostgreSQL the creates and an update run once
more with prepared statements allowed on the connection (``preparing``).
"""

from __future__ import annotations

import datetime
import decimal

from auditlog.models import LogEntry
from benchapp.models import (
    AuditlogItem,
    HistoryItem,
    PlainItem,
    PlainUuidItem,
    TrackedItem,
    TrackedUuidItem,
)
from django.conf import settings
from simple_history.utils import bulk_update_with_history

from django_audit_log import log

PACKAGE = "django-audit-log"


def create(model, i):
    return model.objects.create(
        number=f"N-{i}",
        customer="ACME",
        amount=decimal.Decimal("10.00"),
        issued_on=datetime.date(2025, 1, 1),
        note="",
    )


def update(obj, i):
    obj.amount = decimal.Decimal(i)
    obj.note = f"changed {i}"
    obj.save()


def creating(model, rows):
    return lambda: lambda: [create(model, i) for i in range(rows)]


def updating(model, rows):
    def prepare():
        objs = [create(model, i) for i in range(rows)]
        return lambda: [update(obj, i + 1) for i, obj in enumerate(objs)]

    return prepare


def queryset_updating(model, rows):
    def prepare():
        pks = [create(model, i).pk for i in range(rows)]
        return lambda: model.objects.filter(pk__in=pks).update(note="bulk", paid=True)

    return prepare


def bulk_updating(model, rows, bulk_update):
    def prepare():
        objs = [create(model, i) for i in range(rows)]
        for i, obj in enumerate(objs):
            obj.note = f"bulk {i}"
        return lambda: bulk_update(objs)

    return prepare


SEAL_KEY = "bench-only-seal-key-0123456789abcdefghijkl"


def sealing(prepare, *, on):
    """``prepare`` with AUDIT_LOG_SEAL_KEY set (on) or unset (off) while it runs."""
    from django.test import override_settings

    def prepared():
        with override_settings(AUDIT_LOG_SEAL_KEY=SEAL_KEY if on else None):
            action = prepare()

        def action_with_key():
            with override_settings(AUDIT_LOG_SEAL_KEY=SEAL_KEY if on else None):
                return action()

        return action_with_key

    return prepared


def preparing(prepare):
    """``prepare`` with prepared statements allowed on the connection while it runs: psycopg's
    own default ``prepare_threshold`` (5), which Django replaces with ``None`` unless the
    database's OPTIONS name one. Django binds its own statements on the client and so never
    prepares them; a tracked save's statement is then prepared (django_audit_log.prepared)."""
    from django.db import connection

    def allowed(step):
        connection.ensure_connection()
        connection.connection.prepare_threshold = 5
        try:
            return step()
        finally:
            connection.connection.prepare_threshold = None

    def prepared():
        action = allowed(prepare)
        return lambda: allowed(action)

    return prepared


def peers():
    found = {
        "plain save": PlainItem,
        "django-auditlog": AuditlogItem,
        "django-simple-history": HistoryItem,
    }
    if settings.POSTGRESQL:
        from benchpg.models import PghistoryItem

        found["django-pghistory"] = PghistoryItem
    return found


def uuid_pghistory():
    from benchpg.models import PghistoryUuidItem

    return PghistoryUuidItem


def run(bench) -> None:
    saves = bench.sizes.pick(300, 5)
    bulk = bench.sizes.pick(1000, 20)
    pg_only = "PostgreSQL only (triggers)"
    for peer, model in peers().items():
        note = pg_only if peer == "django-pghistory" else ""
        bench.pair(
            "tracked create()",
            peer,
            creating(TrackedItem, saves),
            creating(model, saves),
            ops=saves,
            note=note,
        )
        if peer in ("plain save", "django-pghistory"):
            # A key known before the INSERT (UUIDModel, BaseModel) lets the entry ride in it.
            uuid_peer = PlainUuidItem if peer == "plain save" else uuid_pghistory()
            bench.pair(
                "tracked create(), UUID key",
                peer,
                creating(TrackedUuidItem, saves),
                creating(uuid_peer, saves),
                ops=saves,
                note=note,
            )
        bench.pair(
            "tracked save() (update)",
            peer,
            updating(TrackedItem, saves),
            updating(model, saves),
            ops=saves,
            note=note,
        )

    if settings.POSTGRESQL:
        from benchpg.models import PghistoryItem

        allowed = ", prepared statements allowed"
        for case, ours, peer, theirs in (
            ("tracked create()", TrackedItem, "plain save", PlainItem),
            ("tracked create()", TrackedItem, "django-pghistory", PghistoryItem),
            ("tracked create(), UUID key", TrackedUuidItem, "plain save", PlainUuidItem),
            ("tracked create(), UUID key", TrackedUuidItem, "django-pghistory", uuid_pghistory()),
        ):
            bench.pair(
                case + allowed,
                f"{peer}, same setting",
                preparing(creating(ours, saves)),
                preparing(creating(theirs, saves)),
                ops=saves,
                note=pg_only if peer == "django-pghistory" else "",
            )
        bench.pair(
            "tracked save() (update)" + allowed,
            "plain save, same setting",
            preparing(updating(TrackedItem, saves)),
            preparing(updating(PlainItem, saves)),
            ops=saves,
        )

    # Tamper evidence: with AUDIT_LOG_SEAL_KEY set every entry is stamped (an HMAC of its key
    # and time) when written; sealing itself runs later (seal_audit_log), off the write path.
    for label, model in (("", TrackedItem), (", UUID key", TrackedUuidItem)):
        bench.pair(
            f"tracked create(){label}, sealing on",
            "same, sealing off",
            sealing(creating(model, saves), on=True),
            sealing(creating(model, saves), on=False),
            ops=saves,
        )
    bench.pair(
        "tracked save() (update), sealing on",
        "same, sealing off",
        sealing(updating(TrackedItem, saves), on=True),
        sealing(updating(TrackedItem, saves), on=False),
        ops=saves,
    )

    target = create(PlainItem, 0)
    changes = {"amount": {"old": "10.00", "new": "12.00"}}

    def ours_log():
        for _ in range(saves):
            log("invoice.amount_changed", obj=target, changes=changes)

    def auditlog_log():
        for _ in range(saves):
            LogEntry.objects.log_create(
                target, force_log=True, action=LogEntry.Action.UPDATE, changes=changes
            )

    bench.pair(
        "explicit log()",
        "django-auditlog log_create()",
        lambda: ours_log,
        lambda: auditlog_log,
        ops=saves,
    )

    size = f"{bulk:,} rows"
    bench.pair(
        f"QuerySet.update() of {size}",
        "plain update, untracked",
        queryset_updating(TrackedItem, bulk),
        queryset_updating(PlainItem, bulk),
        note="auditlog and simple-history do not see this path",
    )
    if settings.POSTGRESQL:
        from benchpg.models import PghistoryItem

        bench.pair(
            f"QuerySet.update() of {size}",
            "django-pghistory",
            queryset_updating(TrackedItem, bulk),
            queryset_updating(PghistoryItem, bulk),
            note=pg_only,
        )
    bench.pair(
        f"bulk_update() of {size}",
        "simple-history bulk_update_with_history()",
        bulk_updating(
            TrackedItem, bulk, lambda objs: TrackedItem.objects.bulk_update(objs, ["note"])
        ),
        bulk_updating(
            HistoryItem, bulk, lambda objs: bulk_update_with_history(objs, HistoryItem, ["note"])
        ),
    )
