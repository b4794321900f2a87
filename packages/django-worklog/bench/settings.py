"""Settings of the benchmark: the test settings, with a scratch database of its own."""

from tests.settings import *  # noqa: F403

DATABASES["default"]["TEST"] = {"NAME": "bench_worklog"}  # noqa: F405
