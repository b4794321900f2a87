import pytest

from django_modules.models import Module
from tests.testapp.models import Organization


@pytest.fixture
def org(db):
    return Organization.objects.create(name="Acme Clinic")


@pytest.fixture
def other_org(db):
    return Organization.objects.create(name="Bolt Vets")


@pytest.fixture
def pharmacy(db):
    return Module.objects.create(key="pharmacy", name="Pharmacy", active=True)


@pytest.fixture
def lab(db):
    return Module.objects.create(key="lab", name="Laboratory", active=False)


@pytest.fixture
def signal_log():
    """Every toggle signal sent while the test runs, as tuples."""
    from django_modules.signals import module_toggled, org_module_toggled

    log = []

    def on_module(sender, module, active, previous, **kwargs):
        log.append(("module", module.key, active, previous))

    def on_override(sender, org, module, enabled, previous, **kwargs):
        log.append(("override", org.name, module.key, enabled, previous))

    module_toggled.connect(on_module, dispatch_uid="test-module")
    org_module_toggled.connect(on_override, dispatch_uid="test-override")
    yield log
    module_toggled.disconnect(dispatch_uid="test-module")
    org_module_toggled.disconnect(dispatch_uid="test-override")
