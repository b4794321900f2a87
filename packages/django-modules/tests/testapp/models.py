"""Concrete models used only by the tests: the organization model named by MODULES_ORG_MODEL."""

from django.db import models

from django_basemodels.models import BaseModel


class Organization(BaseModel):
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name
