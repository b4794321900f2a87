"""``AuditLog``: one immutable row per thing that happened."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from django_audit_log import arguments
from django_audit_log.exceptions import AuditLogImmutableError
from django_audit_log.stamps import STAMP_LENGTH, stamp_of
from django_basemodels.ids import uuid7
from django_basemodels.markers import alters_data, queryset_only
from django_basemodels.models import UUIDModel

# Set only while the retention service deletes old entries: the one sanctioned way out.
_pruning: ContextVar[bool] = ContextVar("django_audit_log_pruning", default=False)

# Django's ON DELETE SET NULL (deleting a user or a content type) updates exactly these columns
# to NULL; that detaches an entry without rewriting what it says (actor_display stays).
DETACHABLE = frozenset({"actor", "actor_id", "target_content_type", "target_content_type_id"})


class Sensitivity(models.TextChoices):
    # Labels come from the names: "Normal", "High", "Critical".
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    """Reads as usual; every bulk path that would change or remove rows is refused.

    The refusal happens before any SQL is sent, so it costs no query.
    """

    @alters_data
    def update(self, **kwargs: Any) -> int:
        if kwargs and set(kwargs) <= DETACHABLE and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AuditLogImmutableError("QuerySet.update()")

    @alters_data
    @queryset_only
    def delete(self) -> tuple[int, dict[str, int]]:
        if _pruning.get():
            return super().delete()
        raise AuditLogImmutableError("QuerySet.delete()")

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditLogImmutableError("bulk_update()")

    @alters_data
    def bulk_create(self, objs: Iterable[AuditLog], *args: Any, **kwargs: Any) -> list[AuditLog]:
        if kwargs.get("update_conflicts"):
            raise AuditLogImmutableError("bulk_create(update_conflicts=True)")
        objs = list(objs)
        for entry in objs:
            entry.stamp_now()
        return super().bulk_create(objs, *args, **kwargs)


class AuditLogManager(models.Manager["AuditLog"]):
    """Hands out ``AuditLogQuerySet``s (typed, so that chained queries keep their type)."""

    def get_queryset(self) -> AuditLogQuerySet:
        return AuditLogQuerySet(model=self.model, using=self._db, hints=getattr(self, "_hints", {}))


class AuditLog(UUIDModel):
    """An audit entry. Written once by ``log()`` / ``log_event()`` / tracking, never changed."""

    # Always UUIDv7 (whatever BASEMODELS_UUID_VERSION says): entries sort by key in time order.
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    action = models.CharField(max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # covered by the (actor, created_at) index
    )
    actor_display = models.CharField(max_length=255, blank=True)
    target_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # covered by the (target_content_type, target_id, created_at) index
        # No database constraint: its check would lock the content type's row FOR KEY SHARE on
        # every entry, and every writer of a tracked model would queue on that one row (multixacts
        # under load). Content types are deleted through Django, whose SET_NULL still applies.
        db_constraint=False,
    )
    target_id = models.CharField(max_length=255, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    metadata = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    sensitivity = models.CharField(
        max_length=10, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    is_system = models.BooleanField(default=False)
    # HMAC of (id, created_at) with AUDIT_LOG_SEAL_KEY, set when the entry is written: proves
    # the application wrote it (see stamps.py). Empty when no key was configured.
    stamp = models.CharField(max_length=STAMP_LENGTH, blank=True, default="", editable=False)

    objects: ClassVar[AuditLogManager] = AuditLogManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Cascades and other internal paths use the base manager: make them meet the guard too.
        base_manager_name = "objects"
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log entries"
        indexes = [
            models.Index(
                fields=["target_content_type", "target_id", "created_at"],
                name="audit_log_target_time",
            ),
            # One model (and action) in a time window: the target index cannot serve it, as
            # target_id sits between the content type and the time.
            models.Index(fields=["target_content_type", "created_at"], name="audit_log_model_time"),
            models.Index(fields=["actor", "created_at"], name="audit_log_actor_time"),
            models.Index(fields=["action", "created_at"], name="audit_log_action_time"),
            # The admin: its other filters and its exact request-id search (see admin/).
            models.Index(fields=["sensitivity", "created_at"], name="audit_log_sensitivity_time"),
            models.Index(fields=["is_system", "created_at"], name="audit_log_system_time"),
            models.Index(fields=["request_id"], name="audit_log_request"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sensitivity__in=Sensitivity.values),
                name="audit_log_sensitivity_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=""), name="audit_log_action_not_empty"
            ),
        ]

    def __str__(self) -> str:
        who = self.actor_display or "system"
        what = f" {self.target_repr}" if self.target_repr else ""
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {who} {self.action}{what}"

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutableError("save()", self)
        kwargs["force_insert"] = True  # never an UPDATE-then-INSERT probe
        self.stamp_now()
        super().save(*args, **kwargs)

    @alters_data
    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("delete()", self)

    def stamp_now(self) -> None:
        """Check the entry's values and stamp it for its key and time (just before it is
        written). An entry from ``build_entry()`` was built from checked values and stamped
        there: it skips both."""
        if self.__dict__.pop("_audit_built", False):
            return
        arguments.check_entry(self)
        self.stamp = stamp_of(self.id, self.created_at)

    @property
    def target(self) -> Any:
        """The target object, fetched on access (one query), or ``None`` if it is gone."""
        if self.target_content_type_id is None or not self.target_id:
            return None
        try:
            content_type = ContentType.objects.get_for_id(self.target_content_type_id)
        except ContentType.DoesNotExist:  # removed by raw SQL (the column has no constraint)
            return None
        model = content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.target_id).first()


class AuditSealQuerySet(models.QuerySet["AuditSeal"]):
    """Seals are written once by ``seal()``; every bulk path that would change them is refused."""

    @alters_data
    def update(self, **kwargs: Any) -> int:
        raise AuditLogImmutableError("QuerySet.update() of seals")

    @alters_data
    @queryset_only
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("QuerySet.delete() of seals")

    @alters_data
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditLogImmutableError("bulk_update() of seals")


class AuditSealManager(models.Manager["AuditSeal"]):
    def get_queryset(self) -> AuditSealQuerySet:
        return AuditSealQuerySet(
            model=self.model, using=self._db, hints=getattr(self, "_hints", {})
        )


class AuditSeal(models.Model):
    """A sealed batch of entries: one record per entry (key, time, content digests) and a MAC
    over the records, the batch's number and the previous seal's MAC, made with
    ``AUDIT_LOG_SEAL_KEY``. Written by ``seal()`` (``manage.py seal_audit_log``), checked by
    ``verify()`` (``manage.py verify_audit_log``). See docs: "Tamper evidence".
    """

    number = models.PositiveBigIntegerField(unique=True)  # 1, 2, 3... without gaps
    sealed_at = models.DateTimeField(default=timezone.now, editable=False)
    entry_count = models.PositiveIntegerField()
    first_created_at = models.DateTimeField()
    last_created_at = models.DateTimeField(db_index=True)  # where the sealer looks back from
    records = models.BinaryField()  # RECORD_SIZE bytes per entry, in (created_at, id) order
    previous_mac = models.CharField(max_length=64, blank=True)
    key_fingerprint = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)

    objects: ClassVar[AuditSealManager] = AuditSealManager()

    class Meta:
        ordering = ["number"]
        base_manager_name = "objects"
        verbose_name = "audit seal"

    def __str__(self) -> str:
        return f"seal {self.number}: {self.entry_count} entries up to {self.last_created_at}"

    @alters_data
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutableError("save() of a seal")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    @alters_data
    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("delete() of a seal")

    def mac_fields(self) -> dict[str, Any]:
        """What the MAC covers besides the records."""
        return {
            "number": self.number,
            "sealed_at": self.sealed_at,
            "entry_count": self.entry_count,
            "first_created_at": self.first_created_at,
            "last_created_at": self.last_created_at,
            "previous_mac": self.previous_mac,
            "key_fingerprint": self.key_fingerprint,
        }
