"""Test support shared by the django-primitives suites."""

from primitives_testkit.concurrency import ConcurrentRun, run_concurrently
from primitives_testkit.raw_sql import insert_by_raw_sql

__all__ = ["ConcurrentRun", "insert_by_raw_sql", "run_concurrently"]
