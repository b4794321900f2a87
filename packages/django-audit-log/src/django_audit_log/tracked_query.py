"""The bulk paths of tracked models: one entry per row, a constant number of extra queries.

Peers miss these paths because they bypass ``save()`` and its signals. Here every manager of a
tracked model hands out querysets that mix in ``TrackedQuerySetMixin``:

- ``update()``: on PostgreSQL, one statement that locks the rows, updates them and inserts their
  entries (``update_statement``, where it applies; with a seal key the entries are a second
  INSERT). Elsewhere one SELECT (row-locked where the database can) reads the old values, the
  UPDATE is narrowed to exactly those rows, and one INSERT writes the entries; a second SELECT
  reads the new values only when the update used expressions (``F("n") + 1``).
- ``bulk_create()``: one INSERT of entries after the rows (and a SELECT of the stored values
  when objects held expressions).
- ``bulk_update()``: old values come from what was loaded (a SELECT only for objects that were
  not loaded from the database), then one INSERT of entries; new values held as expressions are
  read back after the update (one more SELECT, only then).
- ``delete()``: Django's collector already fetches the rows because tracked models have
  ``post_delete`` receivers; their entries are batched into one INSERT.

The managers that hand these querysets out are made in ``tracked_managers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import connections, models
from django.db.models.fields import Field

from django_audit_log import update_statement
from django_audit_log.diffing import (
    created_changes,
    current_values,
    entry_for,
    is_expression,
    named,
    remember,
    same,
    snapshot,
    tracked_fields,
    with_stored_values,
)
from django_audit_log.exceptions import TrackingError
from django_audit_log.services import batched_entries, write_entries
from django_audit_log.tracking import write_transaction
from django_basemodels.markers import alters_data, queryset_only

# Django's bulk_update() runs QuerySet.update() per batch; bulk_update logs those rows itself.
_in_bulk_update: ContextVar[bool] = ContextVar("django_audit_log_in_bulk_update", default=False)


if TYPE_CHECKING:  # the mixin is only ever combined with a QuerySet class
    _QuerySet = models.QuerySet[Any]
else:
    _QuerySet = object


class TrackedQuerySetMixin(_QuerySet):
    @alters_data
    def update(self, **kwargs: Any) -> int:
        fields = named(tracked_fields(self.model), kwargs)
        if not fields or _in_bulk_update.get():
            return super().update(**kwargs)
        if update_statement.applies(self, fields, kwargs):
            return update_statement.update(self, fields, kwargs)
        using = self.db
        features = connections[using].features
        attnames = [f.attname for f in fields]
        with write_transaction(using):
            reader = self
            if features.has_select_for_update:
                of = ("self",) if features.has_select_for_update_of else ()
                reader = self.select_for_update(of=of)
            # The rows themselves, in the SELECT that reads the old values anyway: each entry
            # is labelled by str(obj), as it is after the update, like every other action's.
            objects = {obj.pk: obj for obj in reader.order_by().defer(None)}
            old_rows = {
                pk: tuple(getattr(obj, name) for name in attnames) for pk, obj in objects.items()
            }
            if not old_rows:
                return 0
            narrowed = type(self)(model=self.model, using=using).filter(pk__in=list(old_rows))
            count = super(TrackedQuerySetMixin, narrowed).update(**kwargs)
            new_rows = self._new_values(fields, kwargs, old_rows, using)
            entries = []
            for pk, old in old_rows.items():
                changes = {
                    f.name: {"old": before, "new": after}
                    for f, before, after in zip(fields, old, new_rows[pk], strict=True)
                    if not same(f, before, after)
                }
                if changes:
                    obj = objects[pk]
                    for name, value in zip(attnames, new_rows[pk], strict=True):
                        setattr(obj, name, value)
                    entries.append(
                        entry_for("update", self.model, changes, obj=obj, via="QuerySet.update")
                    )
            write_entries(entries, using)
        return count

    def _new_values(
        self,
        fields: tuple[Field[Any, Any], ...],
        kwargs: dict[str, Any],
        old_rows: dict[Any, tuple[Any, ...]],
        using: str,
    ) -> dict[Any, tuple[Any, ...]]:
        values = [kwargs[f.name] if f.name in kwargs else kwargs[f.attname] for f in fields]
        if any(map(is_expression, values)):
            plain: models.QuerySet[Any] = models.QuerySet(model=self.model, using=using).filter(
                pk__in=list(old_rows)
            )
            return {
                row[0]: row[1:] for row in plain.values_list("pk", *[f.attname for f in fields])
            }
        values = [v.pk if isinstance(v, models.Model) else v for v in values]
        return dict.fromkeys(old_rows, tuple(values))

    @alters_data
    def bulk_create(  # type: ignore[override]  # the options pass through as keywords
        self, objs: Iterable[Any], batch_size: int | None = None, **kwargs: Any
    ) -> list[Any]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TrackingError(
                self.model,
                "bulk_create() with conflict handling",
                "the database does not say which rows were inserted, skipped or updated; "
                "expected bulk_create() without ignore_conflicts/update_conflicts",
            )
        objs = list(objs)
        fields = tracked_fields(self.model)
        using = self.db
        with write_transaction(using):
            created = super().bulk_create(objs, batch_size=batch_size, **kwargs)
            for obj in created:
                if obj.pk is None:
                    raise TrackingError(
                        self.model,
                        "bulk_create()",
                        f"the {connections[using].vendor} database returned no primary keys; "
                        "expected a database that returns them (PostgreSQL, SQLite 3.35+, MariaDB)",
                    )
            currents = with_stored_values(
                self.model, {obj.pk: current_values(obj, fields) for obj in created}, using
            )
            entries = []
            for obj in created:
                current = currents[obj.pk]
                changes = created_changes(fields, current)
                obj._audit_loaded = snapshot(dict(current))
                entries.append(entry_for("create", self.model, changes, obj=obj, via="bulk_create"))
            write_entries(entries, using)
        return created

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        tracked = named(tracked_fields(self.model), fields)
        if not tracked:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        using = self.db
        with write_transaction(using):
            old = {obj.pk: obj.__dict__.get("_audit_loaded") or {} for obj in objs}
            unknown = [
                pk for pk, loaded in old.items() if any(f.attname not in loaded for f in tracked)
            ]
            if unknown:  # objects not loaded from the database: one SELECT for all of them
                plain: models.QuerySet[Any] = models.QuerySet(model=self.model, using=using).filter(
                    pk__in=unknown
                )
                for row in plain.values_list("pk", *[f.attname for f in tracked]):
                    old[row[0]] = {
                        **dict(zip((f.attname for f in tracked), row[1:], strict=True)),
                        **old[row[0]],
                    }
            token = _in_bulk_update.set(True)
            try:
                count = super().bulk_update(objs, fields, batch_size=batch_size)
            finally:
                _in_bulk_update.reset(token)
            currents = with_stored_values(
                self.model, {obj.pk: current_values(obj, tracked) for obj in objs}, using
            )
            entries = []
            for obj in objs:
                current = currents[obj.pk]
                loaded = old[obj.pk]
                changes = {
                    f.name: {"old": loaded.get(f.attname), "new": current[f.attname]}
                    for f in tracked
                    if f.attname in current
                    and not same(f, loaded.get(f.attname), current[f.attname])
                }
                remember(obj, current)
                if changes:
                    entries.append(
                        entry_for("update", self.model, changes, obj=obj, via="bulk_update")
                    )
            write_entries(entries, using)
        return count

    @alters_data
    def restore(self) -> Any:
        """Soft-deletable models only: log each row this queryset brings back."""
        using = self.db
        with write_transaction(using):
            # The rows themselves (one SELECT), so that each entry is labelled by str(obj)
            # like those of every other action, and found by the same search.
            rows = list(self.filter(deleted_at__isnull=False).order_by())
            restored = super().restore()  # type: ignore[misc]  # a SoftDeleteQuerySet's
            back: models.QuerySet[Any] = models.QuerySet(model=self.model, using=using).filter(
                pk__in=[obj.pk for obj in rows], deleted_at__isnull=True
            )
            back_pks = set(back.values_list("pk", flat=True))
            entries = []
            for obj in rows:
                if obj.pk not in back_pks:
                    continue
                moment, obj.deleted_at = obj.deleted_at, None  # described as it is now
                changes = {"deleted_at": {"old": moment, "new": None}}
                entries.append(entry_for("restore", self.model, changes, obj=obj, via="restore"))
            write_entries(entries, using)
        return restored

    @alters_data
    @queryset_only
    def delete(self) -> Any:
        using = self.db
        with write_transaction(using), batched_entries(using):
            return super().delete()
