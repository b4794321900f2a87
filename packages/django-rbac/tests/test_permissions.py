import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from django_rbac.permissions import sync_module_permissions

pytestmark = pytest.mark.django_db


def _codenames():
    return set(
        Permission.objects.filter(content_type__app_label="django_rbac").values_list(
            "codename", flat=True
        )
    )


def test_migrate_created_the_declared_permissions():
    # tests/settings.py declares practice (view, edit) and billing (view, refund).
    assert {"practice.view", "practice.edit", "billing.view", "billing.refund"} <= _codenames()
    perm = Permission.objects.get(codename="practice.view")
    assert perm.name == "Can view practice"
    assert perm.content_type.model == "role"


def test_sync_adds_new_ones_once_and_keeps_removed_ones(settings):
    settings.RBAC_MODULES = {"pharmacy": ["dispense"]}
    created = sync_module_permissions()
    assert [p.codename for p in created] == ["pharmacy.dispense"]
    assert sync_module_permissions() == []
    assert {"pharmacy.dispense", "practice.view"} <= _codenames()


def test_post_migrate_creates_them(settings):
    settings.RBAC_MODULES = {"lab": ["order"]}
    call_command("migrate", "django_rbac", verbosity=0)
    assert "lab.order" in _codenames()


def test_sync_does_nothing_where_the_router_keeps_permissions_out(settings):
    class NoAuth:
        def allow_migrate(self, db, app_label, **hints):
            return app_label != "auth"

    settings.DATABASE_ROUTERS = [NoAuth()]
    settings.RBAC_MODULES = {"lab": ["order"]}
    assert sync_module_permissions() == []
    assert "lab.order" not in _codenames()


def test_post_migrate_receiver_skips_a_state_without_our_tables():
    from django.apps.registry import Apps

    from django_rbac.permissions import create_module_permissions

    before = _codenames()
    assert create_module_permissions(apps=Apps(installed_apps=[])) is None
    assert _codenames() == before
