"""Subjects used only by the tests: one with an integer key, one with a UUID key."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from django_basemodels.models import UUIDModel


class Patient(models.Model):
    name = models.CharField(max_length=100)
    encounters = GenericRelation(
        "django_encounters.Encounter",
        content_type_field="subject_content_type",
        object_id_field="subject_id",
    )

    def __str__(self) -> str:
        return str(self.pk)


class Asset(UUIDModel):
    label = models.CharField(max_length=100)
    encounters = GenericRelation(
        "django_encounters.Encounter",
        content_type_field="subject_content_type",
        object_id_field="subject_id",
    )

    def __str__(self) -> str:
        return str(self.pk)
