from django.core.exceptions import PermissionDenied

from django_modules import exceptions
from tests.testapp.models import Organization


def test_every_error_is_a_modules_error():
    names = [name for name in dir(exceptions) if name.endswith(("Error", "Found", "Disabled"))]
    for name in names:
        cls = getattr(exceptions, name)
        if isinstance(cls, type) and issubclass(cls, Exception) and cls is not PermissionDenied:
            assert issubclass(cls, exceptions.ModulesError), name


def test_messages_name_the_value_and_what_was_expected():
    org = Organization(name="Acme")
    assert "'pharmcy'" in str(exceptions.ModuleNotFound("pharmcy"))
    assert "expected the key of a live Module" in str(exceptions.ModuleNotFound("pharmcy"))
    assert "'lab' is disabled for organization Acme" in str(exceptions.ModuleDisabled("lab", org))
    invalid = str(exceptions.InvalidOrganization(3, "testapp.Organization"))
    assert "3" in invalid
    assert "expected a saved testapp.Organization" in invalid
    assert "'x'; expected True or False" in str(exceptions.InvalidFlag("enabled", "x"))
    manifest = exceptions.ManifestError("m.yaml", [(3, "bad"), (9, "worse")])
    assert str(manifest) == "2 problems in m.yaml:\nm.yaml:3: bad\nm.yaml:9: worse"


def test_module_disabled_is_a_403():
    assert issubclass(exceptions.ModuleDisabled, PermissionDenied)
