"""The organization model of the benchmark (MODULES_ORG_MODEL = "benchapp.Organization")."""

from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "benchapp"

    def __str__(self) -> str:
        return self.name
