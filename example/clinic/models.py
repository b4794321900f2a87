"""The host's own models: its user model and the vehicles its workshop repairs."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from django_audit_log import AuditTrackedModel
from django_basemodels.models import BaseModel
from django_rbac.mixins import RBACUserMixin


class User(RBACUserMixin, AbstractUser):
    """The host's user: Django's, plus hierarchy levels and module permissions from django-rbac."""


class Vehicle(AuditTrackedModel, BaseModel):
    """A subject for repair jobs. Every create, change and delete lands in the audit trail."""

    registration = models.CharField(max_length=20)
    make = models.CharField(max_length=50)
    owner_name = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.make} {self.registration}"


class ServiceRecord(BaseModel):
    """One line of a vehicle's service history; soft-deleted together with its vehicle."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="service_records")
    description = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.description
