"""Opt-in automatic change tracking: inherit ``AuditTrackedModel``.

Every create, update and delete of a tracked model writes an entry with the field diff, in the
same transaction as the write. The diff on update needs no SELECT: the values loaded from the
database are remembered by ``from_db`` and compared with what ``save()`` wrote. The bulk paths
(``QuerySet.update/delete``, ``bulk_create``, ``bulk_update``) are covered by the queryset mixin
in ``tracked_query``. The diffing is in ``diffing``; ``receivers`` (connected by the app's
``ready()``) writes the entries of saves and deletes and installs the tracked managers.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any, ClassVar

from django.db import connections, models, router, transaction

from django_audit_log import single_statement
from django_audit_log.diffing import current_values, named, remember, snapshot, tracked_fields
from django_audit_log.services import batched_entries
from django_basemodels.markers import alters_data


class AuditTrackedModel(models.Model):
    """Inherit (first) to have every change of the model written to the audit log.

    Class attributes: ``audit_fields`` (names to track; default every concrete field except the
    primary key and ``auto_now`` fields), ``audit_exclude`` (names to leave out) and
    ``audit_sensitivity`` (of the entries written; default ``"normal"``).
    """

    audit_fields: ClassVar[tuple[str, ...] | None] = None
    audit_exclude: ClassVar[tuple[str, ...]] = ()
    audit_sensitivity: ClassVar[str] = "normal"
    # The tracked values as loaded from the database (set by from_db(), kept in __dict__).
    _audit_loaded: dict[str, Any]

    class Meta:
        abstract = True

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        carrier = single_statement.carrier(self, using, kwargs.get("update_fields"))
        if carrier is not None:
            # PostgreSQL: the row's INSERT/UPDATE carries the entry in the same statement.
            with carrier:
                super().save(*args, **kwargs)
            return
        with write_transaction(using):
            super().save(*args, **kwargs)  # the entry is written by post_save, inside

    @alters_data
    def delete(self, using: str | None = None, keep_parents: bool = False) -> Any:
        using = using or router.db_for_write(type(self), instance=self)
        with write_transaction(using), batched_entries(using):
            return super().delete(using=using, keep_parents=keep_parents)

    def _do_insert(self, *args: Any, **kwargs: Any) -> Any:
        # Marks the one statement single_statement may rewrite when the database assigns the
        # key: not an INSERT of the same table run earlier by a pre_save handler.
        self.__dict__["_audit_inserting"] = True
        try:
            return super()._do_insert(*args, **kwargs)  # type: ignore[misc]  # Django's own
        finally:
            del self.__dict__["_audit_inserting"]

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Any:
        # **kwargs: Django 6.1 passes fetch_mode, earlier versions nothing.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_loaded = snapshot(dict(zip(field_names, values, strict=True)))
        return instance

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: models.QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if fields is not None:
            fields = list(fields)  # read twice below
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset, **kwargs)
        refreshed = tracked_fields(type(self))
        if fields is not None:  # the others may hold unsaved changes: they are no new base
            refreshed = named(refreshed, fields)
        remember(self, current_values(self, refreshed))


def write_transaction(using: str) -> Any:
    """A transaction around a write and its entry, unless one is already open."""
    if connections[using].in_atomic_block:
        return nullcontext()
    return transaction.atomic(using=using)
