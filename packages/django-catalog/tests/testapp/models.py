"""Concrete models used only by the tests."""

from django.db import models


class Encounter(models.Model):
    """Stands in for the host's encounter model (CATALOG_ENCOUNTER_MODEL = "testapp.Encounter")."""

    label = models.CharField(max_length=50, default="visit")

    def __str__(self) -> str:
        return self.label


class Patient(models.Model):
    """Not an encounter: passing one where an encounter is expected must fail clearly."""

    name = models.CharField(max_length=50, default="Rex")

    def __str__(self) -> str:
        return self.name
