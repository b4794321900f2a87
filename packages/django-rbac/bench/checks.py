"""How much the per-object cache saves on a request that checks one user many times.

    cd packages/django-rbac && PYTHONPATH=. ../../.venv-rbac/bin/python bench/checks.py
    (DATABASE_URL=postgres://... for PostgreSQL)

Baseline, measured in the same run: the same checks with the cache cleared before each one, i.e.
what a permission layer without request caching pays. Prints queries and time per request.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CHECKS_PER_REQUEST = 30
REQUESTS = 200


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from django.contrib.auth.models import Permission
    from tests.testapp.models import User

    from django_rbac import access
    from django_rbac.models import Role
    from django_rbac.services import assign_role

    call_command("migrate", verbosity=0)
    admin = User.objects.create_superuser("root", "r@example.com", "pw")
    user = User.objects.create_user("clerk")
    for level in (10, 20, 30, 40, 50):
        role = Role.objects.create(name=f"L{level}", slug=f"l{level}", hierarchy_level=level)
        role.group.permissions.add(*Permission.objects.filter(codename__contains="."))
        assign_role(user, role, admin)

    def request(cached: bool) -> int:
        fresh = User.objects.get(pk=user.pk)
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            for _ in range(CHECKS_PER_REQUEST // 2):
                if not cached:
                    access.clear_cache(fresh)
                fresh.hierarchy_level  # noqa: B018
                if not cached:
                    access.clear_cache(fresh)
                fresh.has_module_permission("practice", "view")
        return len(executed)

    results = {}
    for label, cached in (("baseline (no cache)", False), ("django-rbac (cached)", True)):
        request(cached)  # warm up
        start = time.perf_counter()
        for _ in range(REQUESTS):
            count = request(cached)
        results[label] = ((time.perf_counter() - start) / REQUESTS, count)
    base_time, base_queries = results["baseline (no cache)"]
    print(f"{connection.vendor}: {CHECKS_PER_REQUEST} checks per request, {REQUESTS} requests")
    for label, (seconds, count) in results.items():
        print(
            f"  {label:22} {count:3d} queries  {seconds * 1000:8.3f} ms/request  "
            f"ratio {seconds / base_time:5.2f}x of baseline time, "
            f"{count / base_queries:5.2f}x of baseline queries"
        )


if __name__ == "__main__":
    main()
