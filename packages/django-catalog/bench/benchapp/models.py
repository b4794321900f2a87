"""The host's encounter model, as far as the benchmark needs one."""

from django.db import models


class Encounter(models.Model):
    label = models.CharField(max_length=50, default="visit")

    def __str__(self) -> str:
        return self.label
