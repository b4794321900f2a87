"""Errors raised by django-rbac; every one is an ``RBACError``."""

from __future__ import annotations

from typing import Any

from django_basemodels import exceptions as basemodels_errors


class RBACError(Exception):
    """Base class of every error raised by django-rbac."""


class InvalidArgumentError(RBACError, TypeError, ValueError):
    """A value handed to django-rbac is not what the call takes (``None``, the wrong type, an
    unsaved object, a naive datetime, a string that is too long...)."""

    def __init__(self, argument: str, value: Any, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"{argument}={value!r} is not valid; expected {expected}")


class EscalationError(RBACError, PermissionError):
    """Someone tried to act on a role or a user at or above their own level."""


class RoleEscalationError(EscalationError):
    """The actor's level is not strictly above the role's level."""

    def __init__(self, actor: Any, role: Any, actor_level: int, verb: str = "assign") -> None:
        self.actor = actor
        self.role = role
        self.actor_level = actor_level
        super().__init__(
            f"{actor} (level {actor_level}) may not {verb} role {role.slug!r} at level "
            f"{role.hierarchy_level}; expected a role below level {actor_level}"
        )


class UserEscalationError(EscalationError):
    """The actor's level is not strictly above the other user's level."""

    def __init__(self, actor: Any, user: Any, actor_level: int, user_level: int) -> None:
        self.actor = actor
        self.user = user
        self.actor_level = actor_level
        self.user_level = user_level
        super().__init__(
            f"{actor} (level {actor_level}) may not manage {user} (level {user_level}); "
            f"expected a user below level {actor_level}"
        )


class InactiveRoleError(RBACError, ValueError):
    """The role is deactivated or soft-deleted and cannot be assigned."""

    def __init__(self, role: Any) -> None:
        self.role = role
        state = "deleted" if role.deleted_at is not None else "inactive"
        super().__init__(f"role {role.slug!r} is {state}; expected an active, non-deleted role")


class RoleNotAssignedError(RBACError, LookupError):
    """There is no open assignment of the role to the user to revoke."""

    def __init__(self, user: Any, role: Any) -> None:
        self.user = user
        self.role = role
        super().__init__(
            f"{user} has no open assignment of role {role.slug!r}; expected one to revoke"
        )


class InvalidAssignmentPeriodError(RBACError, ValueError):
    """``valid_to`` does not come after ``valid_from``."""

    def __init__(self, valid_from: Any, valid_to: Any) -> None:
        self.valid_from = valid_from
        self.valid_to = valid_to
        super().__init__(
            f"valid_to {valid_to} does not follow valid_from {valid_from}; "
            "expected valid_to later than valid_from, or empty"
        )


class InvalidHierarchyLevelError(RBACError, ValueError):
    """A hierarchy level outside the allowed range."""

    def __init__(self, level: Any, minimum: int, maximum: int) -> None:
        self.level = level
        super().__init__(
            f"hierarchy level {level!r} is out of range; expected an integer from {minimum} "
            f"to {maximum}"
        )


class UnknownModulePermissionError(RBACError, LookupError):
    """``(module, action)`` is not declared in ``RBAC_MODULES``."""

    def __init__(self, module: Any, action: Any, declared: dict[str, list[str]]) -> None:
        self.module = module
        self.action = action
        actions = declared.get(module) if isinstance(module, str) else None
        if actions is None:
            expected = f"one of the modules {sorted(declared)}" if declared else "a module"
        else:
            expected = f"one of the actions {list(actions)} of module {module!r}"
        super().__init__(
            f"module permission ({module!r}, {action!r}) is not declared in RBAC_MODULES; "
            f"expected {expected}"
        )


class BulkWriteError(RBACError, basemodels_errors.BulkWriteError):
    """A bulk write would break a rule the database enforces (or skip one it cannot); nothing
    was written. django-basemodels' ``BulkWriteError`` (``model``, ``fields``, ``error``) as this
    package's."""

    @property
    def reason(self) -> object:
        """What refused the write: ``error``, under the name this package has always used."""
        return self.error
