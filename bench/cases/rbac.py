"""django-rbac: a request that checks one user 30 times (hierarchy level and module
permission), with the per-object cache against the same checks with the cache cleared before
each one (what a permission layer without request caching pays)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from django_rbac import access
from django_rbac.models import Role
from django_rbac.services import assign_role

PACKAGE = "django-rbac"
CHECKS = 30


def run(bench) -> None:
    User = get_user_model()
    requests = bench.sizes.pick(100, 2)
    admin = User.objects.create_superuser("rbac-root", "r@example.com", "pw")
    user = User.objects.create_user("rbac-clerk")
    for level in (10, 20, 30, 40, 50):
        role = Role.objects.create(name=f"L{level}", slug=f"l{level}", hierarchy_level=level)
        role.group.permissions.add(*Permission.objects.filter(codename__contains="."))
        assign_role(user, role, admin)

    def requesting(cached: bool):
        def action():
            for _ in range(requests):
                fresh = User.objects.get(pk=user.pk)  # a new request loads the user anew
                for _ in range(CHECKS // 2):
                    if not cached:
                        access.clear_cache(fresh)
                    fresh.hierarchy_level  # noqa: B018
                    if not cached:
                        access.clear_cache(fresh)
                    fresh.has_module_permission("practice", "view")

        return lambda: action

    bench.pair(
        f"{CHECKS} checks / request, cached",
        "same checks, cache cleared",
        requesting(True),
        requesting(False),
        ops=requests,
    )
