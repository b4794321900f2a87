"""Test support shared by the django-primitives suites."""

from primitives_testkit.concurrency import ConcurrentRun, run_concurrently
from primitives_testkit.deadlocks import deadlock_first_call
from primitives_testkit.raw_sql import insert_by_raw_sql
from primitives_testkit.uniqueness import (
    conditional_unique_constraints,
    refused_by_unique_constraint,
)

__all__ = [
    "ConcurrentRun",
    "conditional_unique_constraints",
    "deadlock_first_call",
    "insert_by_raw_sql",
    "refused_by_unique_constraint",
    "run_concurrently",
]
