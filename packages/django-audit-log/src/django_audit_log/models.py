"""``AuditLog``: one immutable row per thing that happened."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from django_audit_log.exceptions import AuditLogImmutableError
from django_basemodels.ids import uuid7
from django_basemodels.models import UUIDModel

# Set only while the retention service deletes old entries: the one sanctioned way out.
_pruning: ContextVar[bool] = ContextVar("django_audit_log_pruning", default=False)

# Django's ON DELETE SET NULL (deleting a user or a content type) updates exactly these columns
# to NULL; that detaches an entry without rewriting what it says (actor_display stays).
DETACHABLE = frozenset({"actor", "actor_id", "target_content_type", "target_content_type_id"})


class Sensitivity(models.TextChoices):
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class AuditLogQuerySet(models.QuerySet):
    """Reads as usual; every bulk path that would change or remove rows is refused.

    The refusal happens before any SQL is sent, so it costs no query.
    """

    def update(self, **kwargs: Any) -> int:
        if kwargs and set(kwargs) <= DETACHABLE and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AuditLogImmutableError("QuerySet.update()")

    update.alters_data = True

    def delete(self) -> tuple[int, dict[str, int]]:
        if _pruning.get():
            return super().delete()
        raise AuditLogImmutableError("QuerySet.delete()")

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditLogImmutableError("bulk_update()")

    bulk_update.alters_data = True

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if kwargs.get("update_conflicts"):
            raise AuditLogImmutableError("bulk_create(update_conflicts=True)")
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True


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

    objects = AuditLogQuerySet.as_manager()

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
            models.Index(fields=["actor", "created_at"], name="audit_log_actor_time"),
            models.Index(fields=["action", "created_at"], name="audit_log_action_time"),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogImmutableError("save()", self)
        kwargs["force_insert"] = True  # never an UPDATE-then-INSERT probe
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogImmutableError("delete()", self)

    delete.alters_data = True

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
