"""Benchmark: 20 module checks for one organization in one request, django-modules vs waffle.

    python bench/vs_waffle.py [--requests 300] [--checks 20]

Runs on SQLite in memory, or on the database named by DATABASE_URL. Both libraries are measured
in the same process, on the same database, one after the other, so the ratios compare like with
like. A "request" is one pass of ``--checks`` checks for one organization (django-modules) or one
user (waffle flags, the closest waffle has to a per-tenant switch):

- modules, request cache: inside ``module_cache()`` (what ModuleCacheMiddleware opens per request)
- modules, no cache: every check is its own query
- waffle, cold cache: the Django cache is cleared before each request (first request after a
  deploy or a flag change)
- waffle, warm cache: flags served from the local-memory Django cache

Needs django-waffle (bench/requirements.txt).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django
from django.conf import settings

HERE = Path(__file__).resolve().parent


def configure() -> None:
    sys.path.insert(0, str(HERE))
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        import dj_database_url

        database = dj_database_url.parse(url)
        database["TEST"] = {"NAME": "bench_modules"}
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        USE_TZ=True,
        DATABASES={"default": database},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django_basemodels",
            "django_modules",
            "waffle",
            "benchapp",
        ],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MODULES_ORG_MODEL="benchapp.Organization",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        SILENCED_SYSTEM_CHECKS=["modules.W001"],
    )
    django.setup()


def measure(label, request, requests: int, baseline: float | None = None) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()  # warm-up: imports, connection, prepared caches
    with CaptureQueriesContext(connection) as queries:
        request()
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        request()
        timings.append(time.perf_counter() - start)
    per_request = statistics.median(timings) * 1e6
    ratio = "" if baseline is None else f"  {per_request / baseline:6.2f}x modules+cache"
    print(f"{label:<28}{per_request:10.1f} us/request  {len(queries):3d} queries/request{ratio}")
    return per_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--checks", type=int, default=20)
    options = parser.parse_args()
    configure()

    from benchapp.models import Organization
    from django.contrib.auth.models import User
    from django.core.cache import cache as django_cache
    from django.test import RequestFactory
    from django.test.utils import setup_test_environment
    from waffle import flag_is_active
    from waffle.models import Flag

    from django_modules import disable_module, is_module_enabled, module_cache
    from django_modules.models import Module

    setup_test_environment()
    old_config = connection_setup()
    try:
        keys = [f"module{i:02d}" for i in range(options.checks)]
        org = Organization.objects.create(name="Acme")
        Module.objects.bulk_create([Module(key=k, name=k, active=True) for k in keys])
        for key in keys[::3]:
            disable_module(org, key)  # some overrides, as a real tenant has
        user = User.objects.create(username="alice")
        flags = Flag.objects.bulk_create([Flag(name=k, everyone=None) for k in keys])
        for flag in flags[::3]:
            flag.users.add(user)

        def modules_cached():
            with module_cache():
                for key in keys:
                    is_module_enabled(org, key)

        def modules_uncached():
            for key in keys:
                is_module_enabled(org, key)

        def waffle_request():
            request = RequestFactory().get("/")
            request.user = user
            for key in keys:
                flag_is_active(request, key)

        def waffle_cold():
            django_cache.clear()
            waffle_request()

        print(
            f"{options.checks} checks for one organization per request, {options.requests} "
            f"requests, median, database: {django.db.connection.vendor}"
        )
        base = measure("modules, request cache", modules_cached, options.requests)
        measure("modules, no cache", modules_uncached, options.requests, base)
        measure("waffle, cold cache", waffle_cold, options.requests, base)
        measure("waffle, warm cache", waffle_request, options.requests, base)
    finally:
        connection_teardown(old_config)


def connection_setup():
    from django.test.utils import setup_databases

    return setup_databases(verbosity=0, interactive=False)


def connection_teardown(old_config) -> None:
    from django.test.utils import teardown_databases

    teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
