"""django-encounters: a "repair job" workflow on any subject, with history you can query."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from django_encounters import (
    EncounterDefinition,
    EncounterError,
    create_encounter,
    get_allowed_transitions,
    get_encounter_history,
    get_state_at,
    transition,
)


def run(ctx) -> None:
    subject = ctx.shared.get("subject") or ctx.shared["org"]
    repair_job = EncounterDefinition.objects.filter(code="repair_job").first()
    if repair_job is None:
        repair_job = EncounterDefinition.objects.create(
            name="Repair job",
            code="repair_job",
            states=["pending", "active", "review", "completed", "cancelled"],
            initial_state="pending",
            final_states=["completed", "cancelled"],
            transitions={
                "pending": ["active", "cancelled"],
                "active": ["review"],
                "review": ["completed", "active"],
            },
            validators=[
                {
                    "path": "django_encounters.validators.RequiredFieldsValidator",
                    "params": {"state_requirements": {"active": ["started_at"]}},
                }
            ],
        )
    ctx.say(f"Workflow '{repair_job}': {' -> '.join(repair_job.states[:4])} (or cancelled).")
    try:
        EncounterDefinition.objects.create(
            name="Broken", code="broken", states=["a", "b"], initial_state="a"
        )
    except EncounterError as error:
        ctx.say(f"A definition with an unreachable state is refused: {error.problems[0]}")

    opened = timezone.now() - timedelta(hours=3)
    job = create_encounter("repair_job", subject, created_by=ctx.user, effective_at=opened)
    ctx.say(f"Repair job opened for {subject} (3 hours ago): state '{job.state}'.")
    ctx.say(f"Allowed next: {get_allowed_transitions(job)}.")
    for target in ("completed", "active"):
        try:
            transition(job, target, transitioned_by=ctx.user)
        except EncounterError as error:
            ctx.say(f"Blocked: {error}")

    job.started_at = opened + timedelta(hours=1)
    job.save()
    transition(job, "active", transitioned_by=ctx.user, effective_at=job.started_at)
    transition(job, "review", transitioned_by=ctx.user, reason="parts replaced")
    ctx.say(f"With started_at set it moves on: now '{job.state}'.")
    for row in get_encounter_history(job, include_creation=True):
        ctx.say(f"  history: {row.from_state or '(created)'} -> {row.to_state}")
    for minutes in (30, 90):
        past = opened + timedelta(minutes=minutes)
        ctx.say(f"get_state_at({past:%H:%M}) = '{get_state_at(job, past)}'")
    ctx.say(f"Diagram for the docs/admin:\n{repair_job.to_mermaid()}")
    ctx.shared["encounter"] = job
