from typing import Any

from django.db import IntegrityError


class BaseModelsError(Exception):
    """Base class of every error raised by django-basemodels."""


class ImproperlyConfiguredUUIDVersionError(BaseModelsError):
    """BASEMODELS_UUID_VERSION names a version this package cannot generate."""

    def __init__(self, version: object) -> None:
        self.version = version
        super().__init__(f"BASEMODELS_UUID_VERSION is {version!r}; expected 7 or 4")


class DeletionMomentError(BaseModelsError):
    """A soft delete was asked to stamp rows with a moment it cannot use: not a datetime, naive
    while ``USE_TZ`` is on, or outside the range it can restore."""

    def __init__(self, moment: object, earliest: object, latest: object, aware: bool) -> None:
        self.moment = moment
        kind = "an aware datetime" if aware else "a naive datetime"
        super().__init__(
            f"deleted_at moment {moment!r} is not usable; expected {kind} from {earliest} "
            f"up to (not including) {latest}"
        )


class NotSoftDeletableError(BaseModelsError, TypeError):
    """``soft_delete()`` / ``restore()`` got something other than a QuerySet of a soft-deletable
    model."""

    def __init__(self, operation: str, value: object) -> None:
        self.value = value
        super().__init__(
            f"{operation}() got {value!r}; expected a QuerySet of a concrete model that "
            "inherits SoftDeleteModel"
        )


class UnsavedRowError(BaseModelsError):
    """``delete()`` / ``restore()`` was called on an instance whose row does not exist."""

    def __init__(self, instance: object, operation: str) -> None:
        self.instance = instance
        label = instance._meta.label  # type: ignore[attr-defined]
        super().__init__(
            f"{operation}() of {label} {instance.pk!r}, which has no row in the database; "  # type: ignore[attr-defined]
            "expected a saved row"
        )


class SoftDeleteBypassError(BaseModelsError):
    """A write tried to set ``deleted_at`` directly (``save()``, ``update()``, a bulk path),
    skipping the cascade and the operation record that ``restore()`` relies on."""

    def __init__(self, model: type, operation: str) -> None:
        self.model = model
        self.operation = operation
        label = model._meta.label  # type: ignore[attr-defined]
        super().__init__(
            f"{operation} on {label} writes deleted_at, which would skip the cascade; expected "
            f"{label}.objects...delete() to soft-delete or {label}.all_objects...restore() to "
            "restore"
        )


class AppendOnlyDeclarationError(BaseModelsError):
    """An ``AppendOnly`` / ``Retention`` declaration in a migration names something unusable."""

    def __init__(self, what: str, value: object, expected: str) -> None:
        self.value = value
        super().__init__(f"{what} is {value!r}; expected {expected}")


class ConstraintDeclarationError(BaseModelsError, ValueError):
    """A ``ConditionalUniqueConstraint`` was declared with something it cannot enforce."""

    def __init__(self, what: str, value: object, expected: str) -> None:
        self.value = value
        super().__init__(f"{what} is {value!r}; expected {expected}")


class ExistingDuplicateError(BaseModelsError, IntegrityError):
    """A ``ConditionalUniqueConstraint`` is being added (on MariaDB) to a table whose rows already
    repeat a value among those that count. Also an ``IntegrityError``; nothing is changed."""

    def __init__(self, model: type, constraint: Any, values: dict[str, Any], rows: int) -> None:
        self.model = model
        self.constraint = constraint
        self.values = values
        label = model._meta.label  # type: ignore[attr-defined]
        super().__init__(
            f"cannot add {constraint.name} to {label}: {rows} rows with {values!r} match "
            f"{constraint.condition}; expected at most one: change or delete the others first"
        )


class RestoreConflictError(BaseModelsError, IntegrityError):
    """A restore would give a row back a unique value that a live row has taken meanwhile.

    Also an ``IntegrityError``, so code that caught the database's error keeps working.
    """

    def __init__(self, model: type, fields: tuple[str, ...], cause: BaseException) -> None:
        self.model = model
        self.fields = fields
        self.cause = cause
        label = model._meta.label  # type: ignore[attr-defined]
        super().__init__(
            f"restore of {label} would repeat the {', '.join(fields)} of a row that is not "
            f"deleted ({cause}); expected that value to be free: change or delete the live row "
            "first"
        )


class BulkWriteError(BaseModelsError):
    """A bulk write through a ``GuardedQuerySet`` was refused; nothing was written. ``error`` is
    the database's exception, or the words of the package's rule that refused it.

    Packages raise it under their own base class:
    ``class BulkWriteError(FooError, django_basemodels.exceptions.BulkWriteError)``.
    """

    def __init__(self, model: type, fields: list[str], error: object) -> None:
        self.model = model
        self.fields = fields
        self.error = error
        by = " by the database" if isinstance(error, Exception) else ""
        super().__init__(
            f"bulk write of {model.__name__} ({', '.join(sorted(fields)) or 'new rows'}) was "
            f"refused{by}: {error}; expected rows that keep every constraint of {model.__name__}"
        )


class ManagerRowsError(BaseModelsError, ValueError):
    """A soft-delete manager was declared with ``rows`` other than alive, all or dead."""

    def __init__(self, rows: object, expected: tuple[str, ...]) -> None:
        self.rows = rows
        super().__init__(f"rows={rows!r} is not valid; expected one of {', '.join(expected)}")


class CountLimitError(BaseModelsError, ValueError):
    """A ``BoundedCountPaginator`` was given a bound that is not a positive integer."""

    def __init__(self, paginator: type, limit: object) -> None:
        self.limit = limit
        super().__init__(
            f"{paginator.__name__}'s count limit is {limit!r}; expected a positive integer"
        )


# The error's earlier name, kept for compatibility: the same class, so ``except
# ImproperlyConfiguredUUIDVersion`` still catches it. New code uses the name ending in ``Error``.
ImproperlyConfiguredUUIDVersion = ImproperlyConfiguredUUIDVersionError
