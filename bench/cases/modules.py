"""django-modules: 20 module checks for one organization in one request against django-waffle
flags for one user (the closest waffle has to a per-tenant switch).

- request cache: inside ``module_cache()`` (what ModuleCacheMiddleware opens per request),
  against waffle with its flags in a warm local-memory Django cache;
- no cache: every check is its own query, against waffle with the Django cache cleared before
  each request (the first request after a deploy or a flag change).
"""

from __future__ import annotations

from benchapp.models import Organization
from django.contrib.auth import get_user_model
from django.core.cache import cache as django_cache
from django.test import RequestFactory
from waffle import flag_is_active
from waffle.models import Flag

from django_modules import disable_module, is_module_enabled, module_cache
from django_modules.models import Module

PACKAGE = "django-modules"
CHECKS = 20


def run(bench) -> None:
    requests = bench.sizes.pick(200, 3)
    keys = [f"module{i:02d}" for i in range(CHECKS)]
    org = Organization.objects.create(name="Acme")
    Module.objects.bulk_create([Module(key=k, name=k, active=True) for k in keys])
    for key in keys[::3]:
        disable_module(org, key)  # some overrides, as a real tenant has
    user = get_user_model().objects.create(username="modules-bench")
    flags = Flag.objects.bulk_create([Flag(name=k, everyone=None) for k in keys])
    for flag in flags[::3]:
        flag.users.add(user)

    def modules_cached():
        for _ in range(requests):
            with module_cache():
                for key in keys:
                    is_module_enabled(org, key)

    def modules_uncached():
        for _ in range(requests):
            for key in keys:
                is_module_enabled(org, key)

    def waffle(clear: bool):
        def action():
            for _ in range(requests):
                if clear:
                    django_cache.clear()
                request = RequestFactory().get("/")
                request.user = user
                for key in keys:
                    flag_is_active(request, key)

        return lambda: action

    case = f"{CHECKS} checks / request"
    bench.pair(
        f"{case}, request cache",
        "django-waffle flags, warm cache",
        lambda: modules_cached,
        waffle(False),
        ops=requests,
    )
    bench.pair(
        f"{case}, no cache",
        "django-waffle flags, cold cache",
        lambda: modules_uncached,
        waffle(True),
        ops=requests,
    )
