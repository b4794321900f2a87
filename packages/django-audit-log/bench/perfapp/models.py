"""The six-field model of issue 4's bar: plain, tracked, and tracked by django-pghistory."""

import pghistory
from django.db import models

from django_audit_log import AuditTrackedModel
from django_basemodels.models import UUIDModel


class Fields(models.Model):
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


class Plain(UUIDModel, Fields):
    pass


class Tracked(AuditTrackedModel, UUIDModel, Fields):
    pass


@pghistory.track()
class Pgh(UUIDModel, Fields):
    pass
