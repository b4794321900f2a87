"""``Role`` (a hierarchy level plus an ``auth.Group`` holding its permissions) and ``UserRole``
(an effective-dated assignment of a role to a user)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.utils import timezone

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.deadlocks import retrying_deadlocks
from django_basemodels.models import BaseModel
from django_rbac.conf import MAX_LEVEL, MIN_LEVEL
from django_rbac.exceptions import InvalidArgumentError, InvalidAssignmentPeriodError
from django_rbac.query import RoleManager, RoleQuerySet, UserRoleManager, UserRoleQuerySet
from django_rbac.validation import check_assignment_values, check_role_values

__all__ = ["Role", "RoleQuerySet", "UserRole", "UserRoleQuerySet"]

ROLE_FIELDS = ("name", "slug", "description", "hierarchy_level", "is_active")
ASSIGNMENT_FIELDS = ("valid_from", "valid_to", "revoked_at", "is_primary")


class Role(BaseModel):
    """A named role at a hierarchy level (1-100; higher manages lower).

    Its permissions live in a Django ``auth.Group`` created with the role (``role.group``), so
    the usual permission tools (admin, ``Permission`` rows) apply. A deactivated or soft-deleted
    role grants nothing.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    hierarchy_level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)],
        help_text=f"{MIN_LEVEL}-{MAX_LEVEL}; a user manages only users and roles below theirs.",
    )
    is_active = models.BooleanField(default=True)
    # One group per role, created with it and never shared (the constraint below); a key
    # rather than a OneToOneField so that uniqueness can ignore soft-deleted rows.
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="rbac_roles", editable=False
    )

    objects: ClassVar[RoleManager[Role]] = RoleManager()
    all_objects: ClassVar[RoleManager[Role]] = RoleManager(rows="all")
    deleted_objects: ClassVar[RoleManager[Role]] = RoleManager(rows="dead")

    class Meta:
        ordering = ["-hierarchy_level", "name"]
        constraints = [
            ConditionalUniqueConstraint(
                fields=["slug"],
                condition=models.Q(deleted_at__isnull=True),
                name="django_rbac_role_slug_unique_alive",
            ),
            ConditionalUniqueConstraint(
                fields=["group"],
                condition=models.Q(deleted_at__isnull=True),
                name="django_rbac_role_one_group_per_role",
            ),
            models.CheckConstraint(
                condition=models.Q(hierarchy_level__gte=MIN_LEVEL, hierarchy_level__lte=MAX_LEVEL),
                name="django_rbac_role_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hierarchy_level})"

    @property
    def grants_access(self) -> bool:
        return self.is_active and self.deleted_at is None

    def check_invariants(self) -> None:
        check_role_values({field: getattr(self, field) for field in ROLE_FIELDS})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_invariants()
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # Racing inserts of one slug can deadlock on MariaDB (their duplicate checks lock the
        # same gap of the unique index): the victim runs again and then meets the winner's row.
        retrying_deadlocks(using, lambda: self._save_with_group(using, args, kwargs))

    def _save_with_group(self, using: str, args: Any, kwargs: Any) -> None:
        """One try of ``save()``: the role and its group, in one transaction."""
        new_group = not self.group_id
        try:
            with transaction.atomic(using=using):
                if new_group:
                    # No group yet: it is created with the role, in the same transaction.
                    self.group = Group.objects.using(using).create(name=self._group_name())
                elif self.group.name != self._group_name():
                    Group.objects.using(using).filter(pk=self.group_id).update(
                        name=self._group_name()
                    )
                super().save(*args, **kwargs)
        except BaseException:
            if new_group:  # rolled back with the role: the next try creates it again
                self.group = None  # type: ignore[assignment]
            raise

    def _group_name(self) -> str:
        # The key's random tail keeps names unique when a deleted role's slug is reused.
        return f"role:{self.slug}:{self.pk.hex[-8:]}"

    def hard_delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            group_id = self.group_id
            result = super().hard_delete(using=using, keep_parents=keep_parents)
            Group.objects.filter(pk=group_id).delete()
        return result


class UserRole(BaseModel):
    """The assignment of a role to a user, in force from ``valid_from`` until ``valid_to``
    (exclusive; empty means open-ended) unless revoked.

    A user has at most one open (not revoked, not deleted) assignment of a given role, and at
    most one open primary assignment: both are database constraints. Create and revoke
    assignments with ``assign_role`` / ``revoke_role``, which refuse privilege escalation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rbac_assignments"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_from = models.DateTimeField(default=timezone.now)
    valid_to = models.DateTimeField(null=True, blank=True)
    is_primary = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects: ClassVar[UserRoleManager[UserRole]] = UserRoleManager()
    all_objects: ClassVar[UserRoleManager[UserRole]] = UserRoleManager(rows="all")
    deleted_objects: ClassVar[UserRoleManager[UserRole]] = UserRoleManager(rows="dead")

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            ConditionalUniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(deleted_at__isnull=True, revoked_at__isnull=True),
                name="django_rbac_userrole_one_open_per_role",
            ),
            ConditionalUniqueConstraint(
                fields=["user"],
                condition=models.Q(
                    is_primary=True, deleted_at__isnull=True, revoked_at__isnull=True
                ),
                name="django_rbac_userrole_one_open_primary",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="django_rbac_userrole_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"

    def is_current(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.revoked_at is None
            and self.deleted_at is None
            and self.valid_from <= at
            and (self.valid_to is None or at < self.valid_to)
            and self.role.grants_access
        )

    def check_invariants(self) -> None:
        for field in ("user", "role"):
            if getattr(self, f"{field}_id") is None:
                raise InvalidArgumentError(field, None, f"a saved {field} for the assignment")
        check_assignment_values({field: getattr(self, field) for field in ASSIGNMENT_FIELDS})
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise InvalidAssignmentPeriodError(self.valid_from, self.valid_to)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_invariants()
        super().save(*args, **kwargs)
