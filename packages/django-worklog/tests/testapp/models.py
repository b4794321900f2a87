"""Concrete models used only by the tests: contexts with integer and UUID keys."""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models


class RepairJob(models.Model):
    """Integer primary key."""

    title = models.CharField(max_length=100)
    work_sessions = GenericRelation(
        "django_worklog.WorkSession",
        content_type_field="context_content_type",
        object_id_field="context_id",
        related_query_name="repair_job",
    )

    def __str__(self) -> str:
        return self.title


class LabWork(models.Model):
    """UUID primary key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=100)
    work_sessions = GenericRelation(
        "django_worklog.WorkSession",
        content_type_field="context_content_type",
        object_id_field="context_id",
        related_query_name="lab_work",
    )

    def __str__(self) -> str:
        return self.title


class Ticket(models.Model):
    """Text primary key, longer than a session's ``context_id`` can hold."""

    code = models.CharField(primary_key=True, max_length=300)

    def __str__(self) -> str:
        return self.code
