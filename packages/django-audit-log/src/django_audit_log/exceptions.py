"""Errors raised by django-audit-log. Every one is an ``AuditLogError``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model


class AuditLogError(Exception):
    """Base class of every error raised by django-audit-log."""


class AuditLogImmutableError(AuditLogError):
    """Something tried to change or remove an audit entry; entries are append-only."""

    def __init__(self, operation: str, entry: Any = None) -> None:
        self.operation = operation
        self.entry = entry
        which = f" of entry {entry.pk}" if entry is not None else ""
        super().__init__(
            f"{operation}{which} refused: audit entries are append-only; write a new entry "
            "instead (old entries leave only through the prune_audit_log command)"
        )


class InvalidActionError(AuditLogError, ValueError):
    """``action`` is empty, not a string, or longer than the column."""

    def __init__(self, action: Any, max_length: int) -> None:
        self.action = action
        super().__init__(
            f"action {action!r} is not valid; expected a non-empty string of at most "
            f"{max_length} characters"
        )


class InvalidSensitivityError(AuditLogError, ValueError):
    """``sensitivity`` is not one of normal, high, critical."""

    def __init__(self, sensitivity: Any, allowed: list[str]) -> None:
        self.sensitivity = sensitivity
        super().__init__(f"sensitivity {sensitivity!r} is not valid; expected one of {allowed}")


class InvalidActorError(AuditLogError, TypeError):
    """``actor`` is neither a saved user nor a string."""

    def __init__(self, actor: Any, user_model: str) -> None:
        self.actor = actor
        super().__init__(
            f"actor {actor!r} is not valid; expected a saved {user_model} instance, "
            "a string naming a non-user actor, or None"
        )


class InvalidTargetError(AuditLogError, TypeError):
    """``obj`` is not a saved model instance."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        super().__init__(
            f"obj {obj!r} is not valid; expected a model instance with a primary key "
            "(save it before logging) or None"
        )


class InvalidArgumentError(AuditLogError, ValueError):
    """An argument of ``log()``, ``log_event()`` or ``audit_context()`` has the wrong type or
    form (metadata that is not a mapping, an IP address that is not one, an over-long id...)."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        self.name = name
        self.value = value
        shown = repr(value)
        if len(shown) > 80:
            shown = f"{shown[:77]}..."
        super().__init__(f"{name} {shown} is not valid; expected {expected}")


class RetentionError(AuditLogError, ValueError):
    """The retention cut-off is not an aware datetime in the past."""

    def __init__(self, before: Any) -> None:
        self.before = before
        super().__init__(
            f"retention cut-off {before!r} is not valid; expected a timezone-aware datetime "
            "in the past"
        )


class PruneBatchSizeError(AuditLogError, ValueError):
    """The prune batch size is not a positive whole number (or None)."""

    def __init__(self, batch_size: Any) -> None:
        self.batch_size = batch_size
        super().__init__(
            f"prune batch size {batch_size!r} is not valid; expected a whole number of at "
            "least 1, or None for a single batch"
        )


class PartitioningError(AuditLogError):
    """Monthly partitioning cannot run as asked: not PostgreSQL, not the table's owner, a
    foreign key to the entries, or a bad number of months ahead."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"{name} {value!r} is not valid for partitioning; expected {expected}")


class TrackingError(AuditLogError):
    """A write on a tracked model cannot be audited faithfully, so it is refused."""

    def __init__(self, model: type[Model], operation: str, reason: str) -> None:
        self.model = model
        self.operation = operation
        super().__init__(f"{operation} on tracked model {model._meta.label} refused: {reason}")


class SealError(AuditLogError):
    """Sealing or verifying cannot run: no key is configured, the key is unfit, or another
    sealing run committed first."""
