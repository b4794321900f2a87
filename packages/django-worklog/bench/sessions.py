"""Benchmark: bulk paths of django-worklog against per-row baselines, measured in one run.

    cd packages/django-worklog
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/sessions.py
    (options: --users 1000 --rounds 2)

Without DATABASE_URL it runs on SQLite in memory. A scratch database (bench_worklog) is created
and dropped. ``users`` users each have one running session (and one stopped one), then:

- stale stop: ``stop_stale_sessions()`` (one UPDATE for all) vs ``stop_session()`` per user;
- report: ``total_seconds_per_user()`` (one aggregate query) vs summing the sessions in Python.

Each pair runs ``rounds`` times on identical data; the best round counts; ratios are
baseline / package (above 1: the package is faster).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from datetime import timedelta
from functools import partial
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PACKAGE), str(PACKAGE / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from tests.testapp.models import RepairJob  # noqa: E402

from django_worklog import services  # noqa: E402
from django_worklog.models import WorkSession  # noqa: E402
from django_worklog.reports import total_seconds_per_user  # noqa: E402


def prepare(users: int) -> list:
    """Fresh data: every user stopped one session and left one running for a day."""
    WorkSession.all_objects.all().hard_delete()
    get_user_model().objects.all().delete()
    people = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"u{i}") for i in range(users)]
    )
    job, lab = RepairJob.objects.create(title="job"), RepairJob.objects.create(title="lab")
    real_now = services.server_now
    services.server_now = lambda: real_now() - timedelta(days=1)
    try:
        for person in people:
            services.start_session(person, job)
            services.start_session(person, lab)
    finally:
        services.server_now = real_now
    return people


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def stop_one_by_one(people: list) -> None:
    for person in people:
        services.stop_session(person)


def sum_in_python() -> dict:
    totals: dict = defaultdict(int)
    for session in WorkSession.objects.all():
        totals[session.user_id] += session.duration_seconds or 0
    return dict(totals)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        best = defaultdict(lambda: float("inf"))
        for _ in range(args.rounds):
            people = prepare(args.users)
            best["stop_stale_sessions"] = min(
                best["stop_stale_sessions"],
                timed(lambda: services.stop_stale_sessions(timedelta(hours=1))),
            )
            assert total_seconds_per_user() == sum_in_python()  # both report the same totals
            best["report (1 query)"] = min(best["report (1 query)"], timed(total_seconds_per_user))
            best["report in Python"] = min(best["report in Python"], timed(sum_in_python))
            people = prepare(args.users)
            best["stop_session per user"] = min(
                best["stop_session per user"], timed(partial(stop_one_by_one, people))
            )
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"{connection.vendor}, {args.users} users, best of {args.rounds} rounds")
    for name, seconds in best.items():
        print(f"  {name:<24} {seconds * 1000:9.1f} ms")
    stop_ratio = best["stop_session per user"] / best["stop_stale_sessions"]
    report_ratio = best["report in Python"] / best["report (1 query)"]
    print(f"stale stop, one UPDATE vs per user:  {stop_ratio:.1f}x faster")
    print(f"report, one query vs Python sum:     {report_ratio:.1f}x faster")


if __name__ == "__main__":
    main()
