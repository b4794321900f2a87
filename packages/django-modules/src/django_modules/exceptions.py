"""Errors raised by django-modules. Every one is a ``ModulesError``.

Names end in ``Error``, except ``ModuleDisabled``, the name the roadmap publishes. The names the
package used before are kept at the end of this module for compatibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied


class ModulesError(Exception):
    """Base class of every error raised by django-modules."""


def shown(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut short: a megabyte of text must not become a megabyte of message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}... ({len(text)} characters)"


class InvalidArgumentError(ModulesError, TypeError, ValueError):
    """A value handed to django-modules is not what the call or the field takes (``None``, the
    wrong type, an unsaved object, a string too long for its column, a naive datetime...)."""

    def __init__(self, argument: str, value: object, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"{argument}={shown(value)} is not valid; expected {expected}")


class BulkWriteError(ModulesError):
    """A write the database refused for a reason other than a duplicate (a value computed by an
    expression that breaks a column's rule); nothing was written."""

    def __init__(self, model: type, error: Exception) -> None:
        self.model = model
        self.error = error
        super().__init__(
            f"write to {model.__name__} was refused by the database: {error}; expected values "
            f"that keep every rule of {model.__name__}"
        )


class UnknownModuleError(ModulesError):
    """No live ``Module`` has this key: a typo must never silently mean "off"."""

    def __init__(self, key: object) -> None:
        self.key = key
        super().__init__(
            f"unknown module key {shown(key)}: expected the key of a live Module "
            "(create it in the admin or declare it in the manifest read by sync_modules)"
        )


class ModuleDisabled(ModulesError, PermissionDenied):
    """The module is off for this organization.

    It is also a ``PermissionDenied``, so a view that lets it escape answers 403: the check fails
    closed even when nobody catches it.
    """

    def __init__(self, key: str, org: Any) -> None:
        self.key = key
        self.org = org
        super().__init__(f"module {key!r} is disabled for organization {org!s} (pk={org.pk})")


class InvalidOrganizationError(ModulesError):
    """The value given as the organization is not a saved instance of ``MODULES_ORG_MODEL``."""

    def __init__(self, value: object, expected: str, *, live: bool = False) -> None:
        self.value = value
        self.expected = expected
        state = "saved, live (not soft-deleted)" if live else "saved"
        super().__init__(
            f"organization {shown(value)} is not usable: expected a {state} {expected} instance "
            "(the model named by MODULES_ORG_MODEL)"
        )


class DuplicateModuleKeyError(ModulesError):
    """A live module with this key exists already."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"a live module with key {key!r} exists already: expected a key no other module uses"
        )


class DuplicateOverrideError(ModulesError):
    """A live override for this organization and module exists already."""

    def __init__(self, org: Any, module: Any) -> None:
        self.org = org
        self.module = module
        super().__init__(
            f"organization {org!s} already has a live override for module {module!s}: "
            "expected at most one (change it with enable_module/disable_module instead)"
        )


class UnsupportedBulkOperationError(ModulesError):
    """A bulk ORM path that could not keep the signals and the cache correct."""

    def __init__(self, operation: str, reason: str) -> None:
        self.operation = operation
        super().__init__(f"{operation} is not supported here: {reason}")


class ManifestError(ModulesError):
    """A module manifest has problems; ``problems`` lists every one as ``(line, message)``."""

    def __init__(self, source: str, problems: Sequence[tuple[int, str]]) -> None:
        self.source = source
        self.problems = list(problems)
        listing = "\n".join(f"{source}:{line}: {message}" for line, message in self.problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {source}:\n{listing}")


class InvalidFlagError(ModulesError):
    """An on/off value that is not a ``bool``."""

    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = value
        super().__init__(f"{name} is {value!r}; expected True or False")


# The earlier names of these errors, kept for compatibility: each is the same class as its
# new name (``except ModuleNotFound`` still catches an ``UnknownModuleError``). New code uses the
# names ending in ``Error``. ``ModuleNotFound`` became ``UnknownModuleError`` rather than
# ``ModuleNotFoundError``, which is the name of a Python built-in.
ModuleNotFound = UnknownModuleError
InvalidOrganization = InvalidOrganizationError
DuplicateModuleKey = DuplicateModuleKeyError
DuplicateOverride = DuplicateOverrideError
UnsupportedBulkOperation = UnsupportedBulkOperationError
InvalidFlag = InvalidFlagError
