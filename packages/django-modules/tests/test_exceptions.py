import pytest
from django.core.exceptions import PermissionDenied

import django_modules
from django_modules import exceptions
from tests.testapp.models import Organization

# Every error derives from ModulesError and is named ...Error: tests/test_contracts.py.


def test_messages_name_the_value_and_what_was_expected():
    org = Organization(name="Acme")
    assert "'pharmcy'" in str(exceptions.UnknownModuleError("pharmcy"))
    assert "expected the key of a live Module" in str(exceptions.UnknownModuleError("pharmcy"))
    assert "'lab' is disabled for organization Acme" in str(exceptions.ModuleDisabled("lab", org))
    invalid = str(exceptions.InvalidOrganizationError(3, "testapp.Organization"))
    assert "3" in invalid
    assert "expected a saved testapp.Organization" in invalid
    assert "'x'; expected True or False" in str(exceptions.InvalidFlagError("enabled", "x"))
    manifest = exceptions.ManifestError("m.yaml", [(3, "bad"), (9, "worse")])
    assert str(manifest) == "2 problems in m.yaml:\nm.yaml:3: bad\nm.yaml:9: worse"


def test_module_disabled_is_a_403():
    assert issubclass(exceptions.ModuleDisabled, PermissionDenied)


@pytest.mark.parametrize(
    ("earlier", "current"),
    [
        ("ModuleNotFound", "UnknownModuleError"),
        ("InvalidOrganization", "InvalidOrganizationError"),
        ("DuplicateModuleKey", "DuplicateModuleKeyError"),
        ("DuplicateOverride", "DuplicateOverrideError"),
        ("UnsupportedBulkOperation", "UnsupportedBulkOperationError"),
        ("InvalidFlag", "InvalidFlagError"),
    ],
)
def test_earlier_names_are_the_same_classes(earlier, current):
    """Kept for compatibility: importable from the package and its exceptions module, the very
    class the new name names (so either catches it), and no longer listed in __all__."""
    assert getattr(exceptions, earlier) is getattr(exceptions, current)
    assert getattr(django_modules, earlier) is getattr(django_modules, current)
    assert current in django_modules.__all__
    assert earlier not in django_modules.__all__
    with pytest.raises(getattr(django_modules, earlier)):
        raise getattr(exceptions, current)(*ARGUMENTS[current])


ARGUMENTS = {
    "UnknownModuleError": ("pharmcy",),
    "InvalidOrganizationError": (3, "testapp.Organization"),
    "DuplicateModuleKeyError": ("lab",),
    "DuplicateOverrideError": ("Acme", "lab"),
    "UnsupportedBulkOperationError": ("bulk_create()", "reason"),
    "InvalidFlagError": ("enabled", "x"),
}
