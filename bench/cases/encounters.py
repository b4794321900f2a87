"""django-encounters: transition() against django-fsm-2 with ConcurrentTransitionMixin plus a
log row, each move in its own transaction.

- ours: ``transition(encounter, ...)``: row lock, state re-read in the lock, definition read
  under a key-share lock, log insert, state update.
- django-fsm-2: optimistic concurrency (``UPDATE ... WHERE state = old``) plus a log row with
  the same columns as EncounterTransition.
"""

from __future__ import annotations

import itertools

from benchapp.models import Job, JobLog
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from django_encounters import EncounterDefinition, create_encounter, transition

PACKAGE = "django-encounters"
_subjects = itertools.count()


def encounters_moves(moves):
    definition, _ = EncounterDefinition.objects.get_or_create(
        code="PING",
        defaults={
            "name": "Ping pong",
            "states": ["a", "b"],
            "initial_state": "a",
            "transitions": {"a": ["b"], "b": ["a"]},
        },
    )

    def prepare():
        subject = Group.objects.create(name=f"subject {next(_subjects)}")
        encounter = create_encounter(definition, subject)

        def action():
            for move in range(moves):
                transition(encounter, "b" if move % 2 == 0 else "a", reason="bench")

        return action

    return prepare


def fsm_moves(moves):
    def prepare():
        job = Job.objects.create()

        def action():
            for move in range(moves):
                with transaction.atomic():
                    before = job.state
                    (job.forward if move % 2 == 0 else job.back)()
                    job.save()
                    JobLog.objects.create(
                        job=job,
                        from_state=before,
                        to_state=job.state,
                        effective_at=timezone.now(),
                        reason="bench",
                        metadata={},
                    )

        return action

    return prepare


def run(bench) -> None:
    moves = bench.sizes.pick(300, 4)
    note = "" if bench.postgresql else "SQLite has no row locks: both serialize on the file"
    bench.pair(
        "transition()",
        "django-fsm-2 ConcurrentTransitionMixin + log row",
        encounters_moves(moves),
        fsm_moves(moves),
        ops=moves,
        note=note,
    )
