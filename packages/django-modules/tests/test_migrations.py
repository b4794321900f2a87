import inspect
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


@pytest.mark.django_db
def test_migrations_are_in_sync_with_the_models():
    out = StringIO()
    call_command("makemigrations", "django_modules", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_organization_model_comes_from_the_setting():
    """The migration depends on MODULES_ORG_MODEL's app and names no other app's model."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    initial = loader.disk_migrations[("django_modules", "0001_initial")]
    assert ("testapp", "__first__") in initial.dependencies  # resolved from the setting
    source = inspect.getsource(sys.modules[type(initial).__module__])
    assert "migrations.swappable_dependency(settings.MODULES_ORG_MODEL)" in source
    assert "to=settings.MODULES_ORG_MODEL" in source
    assert "testapp" not in source
