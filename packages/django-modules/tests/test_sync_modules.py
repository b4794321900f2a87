import pytest
from django.core.management import CommandError, call_command

from django_modules.models import Module

pytestmark = pytest.mark.django_db

MANIFEST = """\
modules:
  - key: pharmacy
    name: Pharmacy
  - key: lab
    name: Laboratory
    default: false
"""


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "modules.yaml"
    path.write_text(MANIFEST)
    return path


def test_sync_creates_then_reports_a_match(manifest, capsys):
    call_command("sync_modules", str(manifest))
    assert "create pharmacy" in capsys.readouterr().out
    assert dict(Module.objects.values_list("key", "active")) == {"lab": False, "pharmacy": True}
    call_command("sync_modules", str(manifest))
    assert f"modules match {manifest}" in capsys.readouterr().out


def test_check_reports_drift_without_writing(manifest, capsys):
    Module.objects.create(key="pharmacy", name="Pharmacy", active=False)
    with pytest.raises(CommandError, match=r"2 module\(s\) differ"):
        call_command("sync_modules", str(manifest), "--check")
    out = capsys.readouterr().out
    assert "drift: update pharmacy (active: False -> True)" in out
    assert "drift: create lab" in out
    assert list(Module.objects.values_list("key", "active")) == [("pharmacy", False)]


def test_check_passes_when_in_sync(manifest, capsys):
    call_command("sync_modules", str(manifest))
    call_command("sync_modules", str(manifest), "--check")
    assert "modules match" in capsys.readouterr().out


def test_check_with_prune_counts_undeclared_modules(manifest):
    call_command("sync_modules", str(manifest))
    Module.objects.create(key="legacy", name="Legacy")
    call_command("sync_modules", str(manifest), "--check")
    with pytest.raises(CommandError, match=r"1 module\(s\) differ"):
        call_command("sync_modules", str(manifest), "--check", "--prune")
    call_command("sync_modules", str(manifest), "--prune")
    assert sorted(Module.objects.values_list("key", flat=True)) == ["lab", "pharmacy"]


def test_bad_manifest_lists_every_problem_and_writes_nothing(tmp_path):
    path = tmp_path / "modules.yaml"
    path.write_text("modules:\n  - key: ok\n    name: OK\n  - name: x\n  - key: y\n")
    with pytest.raises(CommandError) as caught:
        call_command("sync_modules", str(path))
    message = str(caught.value)
    assert f'{path}:4: module without "key"' in message
    assert f"{path}:5: module 'y' without \"name\"" in message
    assert Module.all_objects.count() == 0


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read manifest .*nope\.yaml"):
        call_command("sync_modules", str(tmp_path / "nope.yaml"))
