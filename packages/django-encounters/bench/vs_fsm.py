"""Time per transition: django-encounters vs django-fsm-2, same run, PostgreSQL.

Both sides do the same work per move, each in its own transaction: protect against concurrent
moves, write a log row, save the new state.

- encounters: ``transition(encounter, ...)`` (row lock, state re-read in the lock, definition
  read under a key-share lock, log insert, state update).
- baseline: django-fsm-2 ``ConcurrentTransitionMixin`` (optimistic: UPDATE ... WHERE state = old)
  plus a log row with the same columns.

Usage (needs PostgreSQL; creates and drops the database test_encounters_bench):

    pip install -r bench/requirements.txt
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/vs_fsm.py [--moves 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import dj_database_url
import django
from django.conf import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))


def configure() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL server (the comparison is about row locks)")
    database = dj_database_url.parse(url)
    database["TEST"] = {"NAME": "test_encounters_bench"}
    settings.configure(
        DATABASES={"default": database},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django_basemodels",
            "django_encounters",
            "django_fsm",
            "benchapp",
        ],
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def bench_encounters(moves: int) -> float:
    from django.contrib.auth.models import Group

    from django_encounters import EncounterDefinition, create_encounter, transition

    definition = EncounterDefinition.objects.filter(code="PING").first()
    if definition is None:
        definition = EncounterDefinition.objects.create(
            name="Ping pong",
            code="PING",
            states=["a", "b"],
            initial_state="a",
            transitions={"a": ["b"], "b": ["a"]},
        )
    encounter = create_encounter(definition, Group.objects.create(name=f"subject {time.time()}"))
    started = time.perf_counter()
    for move in range(moves):
        transition(encounter, "b" if move % 2 == 0 else "a", reason="bench")
    return (time.perf_counter() - started) / moves


def bench_fsm(moves: int) -> float:
    from benchapp.models import Job, JobLog
    from django.db import transaction
    from django.utils import timezone

    job = Job.objects.create()
    started = time.perf_counter()
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
    return (time.perf_counter() - started) / moves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure()

    from django.db import connection

    connection.creation.create_test_db(verbosity=0)
    try:
        bench_encounters(50)  # warm up both paths (connections, caches, plans)
        bench_fsm(50)
        ours, theirs = [], []
        for _ in range(args.rounds):  # interleaved, so drift affects both alike
            ours.append(bench_encounters(args.moves))
            theirs.append(bench_fsm(args.moves))
    finally:
        connection.creation.destroy_test_db("test_encounters_bench", verbosity=0)

    ours_ms = statistics.median(ours) * 1000
    theirs_ms = statistics.median(theirs) * 1000
    print(f"PostgreSQL {connection.pg_version // 10000}, {args.rounds} rounds x {args.moves} moves")
    print(f"django-encounters transition():              {ours_ms:.3f} ms per move (median)")
    print(f"django-fsm-2 ConcurrentTransition + log row: {theirs_ms:.3f} ms per move (median)")
    print(f"ratio encounters / fsm: {ours_ms / theirs_ms:.2f}x")


if __name__ == "__main__":
    main()
