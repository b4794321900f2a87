"""Module permissions: declared in ``RBAC_MODULES``, stored as Django ``Permission`` rows.

``RBAC_MODULES = {"practice": ["view", "edit"]}`` becomes the permissions with codenames
``practice.view`` and ``practice.edit`` on the content type of ``django_rbac.Role``, i.e. the
permission strings ``"django_rbac.practice.view"`` and ``"django_rbac.practice.edit"``. Put them
in a role's group to grant them. They are created on every ``migrate`` (``post_migrate``) and by
``sync_module_permissions()``; permissions of modules removed from the setting are kept, so that
removing a line never strips groups silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, router

from django_rbac import conf
from django_rbac.access import module_codename

if TYPE_CHECKING:
    from django.contrib.auth.models import Permission


def sync_module_permissions(using: str = DEFAULT_DB_ALIAS) -> list[Permission]:
    """Create the missing permissions of ``RBAC_MODULES``; returns the created rows."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from django_rbac.models import Role

    if not router.allow_migrate_model(using, Permission):
        return []
    content_type = ContentType.objects.db_manager(using).get_for_model(
        Role, for_concrete_model=True
    )
    wanted = {
        module_codename(module, action): f"Can {action} {module}"
        for module, actions in conf.declared_modules().items()
        for action in actions
    }
    existing = set(
        Permission.objects.using(using)
        .filter(content_type=content_type, codename__in=wanted)
        .values_list("codename", flat=True)
    )
    missing = [
        Permission(content_type=content_type, codename=codename, name=name[:255])
        for codename, name in wanted.items()
        if codename not in existing
    ]
    created: list[Permission] = Permission.objects.using(using).bulk_create(missing)
    return created


def create_module_permissions(
    app_config: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """``post_migrate`` receiver (connected for this app only)."""
    apps = kwargs.get("apps")
    if apps is not None:
        try:
            apps.get_model("django_rbac", "Role")
            apps.get_model("auth", "Permission")
        except LookupError:  # migrating backwards past our tables: nothing to do
            return
    sync_module_permissions(using)
