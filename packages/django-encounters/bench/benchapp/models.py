"""The baseline: a django-fsm-2 model with ConcurrentTransitionMixin and a log row per move."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class Job(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default="a")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "benchapp"

    def __str__(self) -> str:
        return f"job {self.pk}: {self.state}"

    @transition(field=state, source="a", target="b")
    def forward(self):
        pass

    @transition(field=state, source="b", target="a")
    def back(self):
        pass


class JobLog(models.Model):
    """What EncounterTransition records, as a plain table."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log")
    from_state = models.CharField(max_length=50)
    to_state = models.CharField(max_length=50)
    transitioned_at = models.DateTimeField(auto_now_add=True)
    effective_at = models.DateTimeField()
    reason = models.TextField(blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "benchapp"
        indexes = [models.Index(fields=["job", "effective_at"])]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"
