"""Concrete models used only by the tests."""

from django.db import models
from django.db.models.functions import Now

from django_audit_log.tracking import AuditTrackedModel
from django_basemodels.models import BaseModel, UUIDModel


class Invoice(AuditTrackedModel, UUIDModel):
    """Tracked; six fields like the benchmark's model."""

    number = models.CharField(max_length=20)
    customer = models.CharField(max_length=100, default="")
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    paid = models.BooleanField(default=False)
    issued_on = models.DateField(null=True, blank=True)
    notes = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Invoice {self.number}"


class Account(AuditTrackedModel):
    """Tracked, integer primary key, a secret field that must be redacted, an excluded field.

    (No foreign key to the user model: testapp has no migrations, so it is created before auth.)
    """

    audit_exclude = ("last_seen",)
    audit_sensitivity = "high"

    name = models.CharField(max_length=50)
    api_token = models.CharField(max_length=50, default="")
    last_seen = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Document(AuditTrackedModel, BaseModel):
    """Tracked and soft-deletable: delete() is an UPDATE of deleted_at."""

    title = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.title


class Chapter(AuditTrackedModel, BaseModel):
    """Tracked, soft-deletable child: a document's soft delete cascades to its chapters."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chapters")
    heading = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.heading


class Folder(models.Model):
    """Not tracked; deleting one cascades to tracked Pages."""

    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class Page(AuditTrackedModel):
    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="pages")
    body = models.CharField(max_length=100)


class Plain(models.Model):
    """Not tracked: the baseline of the query budgets."""

    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class PlainProxy(Plain):
    """A proxy: entries about it name the proxy's content type, not the concrete model's."""

    class Meta:
        proxy = True


class InvoiceProxy(Invoice):
    """A proxy of a tracked model: its saves are tracked under the proxy's content type."""

    # Its own settings, so that tests that patch Invoice's do not reach the proxy.
    audit_fields = None
    audit_exclude = ()
    audit_sensitivity = "normal"

    class Meta:
        proxy = True


class Ticket(AuditTrackedModel, UUIDModel):
    """Tracked, with a value the database fills in: its INSERT returns it (RETURNING)."""

    title = models.CharField(max_length=50)
    opened_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return self.title


class Sticker(AuditTrackedModel):
    """Tracked, detached (SET NULL) when its folder is deleted."""

    folder = models.ForeignKey(Folder, on_delete=models.SET_NULL, null=True, related_name="+")
    label = models.CharField(max_length=50)
