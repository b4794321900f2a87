"""Test support shared by the django-primitives suites."""

from primitives_testkit.concurrency import ConcurrentRun, run_concurrently

__all__ = ["ConcurrentRun", "run_concurrently"]
