"""Bench-only models: the host's models our settings name, and each peer's side of a pair."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from safedelete.models import SafeDeleteModel
from simple_history.models import HistoricalRecords
from solo.models import SingletonModel as SoloModel

from django_audit_log import AuditTrackedModel
from django_basemodels import BaseModel, UUIDModel
from django_rbac.mixins import RBACUserMixin
from django_singleton import SingletonModel


# ------------------------------------------------------------------ the host (settings name these)
class User(RBACUserMixin, AbstractUser):
    pass


class Organization(models.Model):  # MODULES_ORG_MODEL; also a worklog context
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):  # CATALOG_ENCOUNTER_MODEL
    label = models.CharField(max_length=50, default="visit")

    def __str__(self) -> str:
        return self.label


# ------------------------------------------------------------------------------ audit-log
class Fields(models.Model):
    """Six fields of an invoice-like row, shared by every audit-log variant."""

    number = models.CharField(max_length=20)
    customer = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid = models.BooleanField(default=False)
    issued_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class PlainItem(Fields):
    pass


class TrackedItem(AuditTrackedModel, Fields):
    pass


class PlainUuidItem(UUIDModel, Fields):
    """Keyed before its INSERT, as every BaseModel is."""


class TrackedUuidItem(AuditTrackedModel, UUIDModel, Fields):
    """On PostgreSQL its entry rides in the row's own INSERT (the key is known beforehand)."""


class AuditlogItem(Fields):  # registered with django-auditlog in apps.py
    pass


class HistoryItem(Fields):
    history = HistoricalRecords()


# ------------------------------------------------------------------------------ singleton
class SiteConfig(SingletonModel):
    site_name = models.CharField(max_length=100, default="Clinic")
    maintenance = models.BooleanField(default=False)


class SoloConfig(SoloModel):
    site_name = models.CharField(max_length=100, default="Clinic")
    maintenance = models.BooleanField(default=False)


# ------------------------------------------------------------------------------ basemodels
class SoftRow(BaseModel):
    name = models.CharField(max_length=50)


class SafeRow(SafeDeleteModel):
    name = models.CharField(max_length=50)


# ------------------------------------------------------------------------------ encounters
class Job(ConcurrentTransitionMixin, models.Model):
    """django-fsm-2 with optimistic concurrency (UPDATE ... WHERE state = old)."""

    state = FSMField(default="a")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"job {self.pk}: {self.state}"

    @transition(field=state, source="a", target="b")
    def forward(self):
        pass

    @transition(field=state, source="b", target="a")
    def back(self):
        pass


class JobLog(models.Model):
    """What EncounterTransition records, as a plain table."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log")
    from_state = models.CharField(max_length=50)
    to_state = models.CharField(max_length=50)
    transitioned_at = models.DateTimeField(auto_now_add=True)
    effective_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "effective_at"])]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


# ------------------------------------------------------------------------------ worklog
class PlainSession(models.Model):
    """A work session as a hand-written app keeps it: no lock, no constraint, no soft delete;
    an index on (user, stopped_at) finds the running session without reading the user's past."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    context_id = models.CharField(max_length=255)
    started_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "stopped_at"], name="plain_session_running")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.context_id}"
