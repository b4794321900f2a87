"""The same six-field model four times: plain, tracked here, django-auditlog, django-pghistory."""

import pghistory
from django.db import models
from django_basemodels.models import UUIDModel

from django_audit_log import AuditTrackedModel


class Fields(UUIDModel):
    """Six fields, plus the UUIDv7 key every model of this repository has (the same for all
    four variants)."""

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


class AuditlogItem(Fields):
    pass


@pghistory.track()
class PghistoryItem(Fields):
    pass
