"""``Role`` (a hierarchy level plus an ``auth.Group`` holding its permissions) and ``UserRole``
(an effective-dated assignment of a role to a user)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from django_basemodels.models import BaseModel
from django_basemodels.query import (
    AllObjectsManager,
    DeletedObjectsManager,
    SoftDeleteManager,
    SoftDeleteQuerySet,
)
from django_rbac.conf import MAX_LEVEL, MIN_LEVEL
from django_rbac.exceptions import (
    BulkWriteError,
    InvalidArgumentError,
    InvalidAssignmentPeriodError,
)
from django_rbac.validation import check_assignment_values, check_role_values

ROLE_FIELDS = ("name", "slug", "description", "hierarchy_level", "is_active")
ASSIGNMENT_FIELDS = ("valid_from", "valid_to", "revoked_at", "is_primary")


class GuardedQuerySet(SoftDeleteQuerySet):
    """Bulk writes that a database constraint refuses become ``BulkWriteError``."""

    def update(self, **kwargs: Any) -> int:
        return self._refusing(list(kwargs), super().update, **kwargs)

    def bulk_update(self, objs, fields, *args: Any, **kwargs: Any):
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        return self._refusing(list(fields), super().bulk_update, objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args: Any, **kwargs: Any):
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        return self._refusing([], super().bulk_create, objs, *args, **kwargs)

    def restore(self) -> int:
        return self._refusing(["deleted_at"], super().restore)

    def _refusing(self, fields: list[str], write, *args: Any, **kwargs: Any):
        try:
            with transaction.atomic(using=self.db):
                return write(*args, **kwargs)
        except IntegrityError as error:
            raise BulkWriteError(self.model, fields, error) from error


class RoleQuerySet(GuardedQuerySet):
    def update(self, **kwargs: Any) -> int:
        check_role_values(kwargs)
        fixed = sorted({"group", "group_id", "slug"}.intersection(kwargs))
        if fixed:
            # The group belongs to its role and is named after the slug: save() keeps them
            # together, a bulk UPDATE cannot.
            raise BulkWriteError(self.model, fixed, "change the slug with save(); the group never")
        return super().update(**kwargs)

    def bulk_create(self, objs, *args: Any, **kwargs: Any):
        """Creates each role's group too (one INSERT for all the groups)."""
        objs = list(objs)
        for obj in objs:
            obj.check_invariants()
        with transaction.atomic(using=self.db):
            missing = [obj for obj in objs if obj.group_id is None]
            groups = Group.objects.using(self.db).bulk_create(
                [Group(name=obj._group_name()) for obj in missing]
            )
            for obj, group in zip(missing, groups, strict=True):
                obj.group = group
            return super().bulk_create(objs, *args, **kwargs)


class RoleManager(SoftDeleteManager.from_queryset(RoleQuerySet)):
    """Default manager: hides soft-deleted roles."""


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

    objects = RoleManager()
    all_objects = AllObjectsManager.from_queryset(RoleQuerySet)()
    deleted_objects = DeletedObjectsManager.from_queryset(RoleQuerySet)()

    class Meta:
        ordering = ["-hierarchy_level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(deleted_at__isnull=True),
                name="django_rbac_role_slug_unique_alive",
            ),
            models.UniqueConstraint(
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
        with transaction.atomic():
            if self.group_id is None:
                # The group is created with the role, in the same transaction.
                self.group = Group.objects.create(name=self._group_name())
            elif self.group.name != self._group_name():
                Group.objects.filter(pk=self.group_id).update(name=self._group_name())
            super().save(*args, **kwargs)

    def _group_name(self) -> str:
        # The key's random tail keeps names unique when a deleted role's slug is reused.
        return f"role:{self.slug}:{self.pk.hex[-8:]}"

    def hard_delete(self, using: str | None = None, keep_parents: bool = False):
        with transaction.atomic():
            group_id = self.group_id
            result = super().hard_delete(using=using, keep_parents=keep_parents)
            Group.objects.filter(pk=group_id).delete()
        return result


class UserRoleQuerySet(GuardedQuerySet):
    def update(self, **kwargs: Any) -> int:
        check_assignment_values(kwargs)
        return super().update(**kwargs)

    def open(self) -> UserRoleQuerySet:
        """Assignments not revoked (current, future or expired-but-not-closed)."""
        return self.filter(revoked_at__isnull=True)

    def current(self, at: datetime | None = None) -> UserRoleQuerySet:
        """Assignments in force at ``at`` (now by default) of an active, non-deleted role."""
        at = at or timezone.now()
        return self.open().filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=at),
            valid_from__lte=at,
            role__is_active=True,
            role__deleted_at__isnull=True,
        )


class UserRoleManager(SoftDeleteManager.from_queryset(UserRoleQuerySet)):
    """Default manager: hides soft-deleted assignments."""


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

    objects = UserRoleManager()
    all_objects = AllObjectsManager.from_queryset(UserRoleQuerySet)()
    deleted_objects = DeletedObjectsManager.from_queryset(UserRoleQuerySet)()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(deleted_at__isnull=True, revoked_at__isnull=True),
                name="django_rbac_userrole_one_open_per_role",
            ),
            models.UniqueConstraint(
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
