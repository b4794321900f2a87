"""Status state charts, and the mixin that checks a row's status move when it is saved."""

from __future__ import annotations

from typing import Any

from django.db import models

from django_basemodels.markers import alters_data
from django_catalog.exceptions import InvalidStatusTransitionError


class StatusChartModel(models.Model):
    """A model whose ``status`` may only move along ``STATUS_MOVES``.

    The status loaded from the database is remembered, so ``save()`` can refuse a move the chart
    does not allow (``InvalidStatusTransitionError``), and new rows must start in
    ``INITIAL_STATUS``.
    """

    status: str  # a field of every concrete subclass
    # The status the database held when the row was loaded (None: deferred, or not loaded).
    _loaded_status: str | None
    INITIAL_STATUS: str = ""
    STATUS_MOVES: dict[str, tuple[str, ...]] = {}

    class Meta:
        abstract = True

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_status_move()
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Any:
        # **kwargs passes on what newer Django versions add (fetch_mode in 6.1).
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def check_new_status(self) -> None:
        if self.status != self.INITIAL_STATUS:
            raise InvalidStatusTransitionError(self, None, self.status, [self.INITIAL_STATUS])

    def check_status_move(self) -> None:
        """Refuse a status that the row could not have reached from the one it was loaded with."""
        if self._state.adding:
            self.check_new_status()
            return
        loaded = getattr(self, "_loaded_status", None)
        if loaded is None or loaded == self.status:
            return
        allowed = self.STATUS_MOVES.get(loaded, ())
        if self.status not in allowed:
            raise InvalidStatusTransitionError(self, loaded, self.status, allowed)
