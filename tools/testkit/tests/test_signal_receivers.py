"""Every package names its receivers one way (docs/architecture.md, "Signals"): a dispatch_uid
that starts with the package's import name and a colon, ``"django_modules:restore"``."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGES = Path(__file__).resolve().parents[3] / "packages"


def dispatch_uids(package_dir: Path) -> list[tuple[str, str]]:
    """``(file, text)`` of every dispatch_uid the package's source connects with: the literal or
    the leading literal of an f-string, given directly or through a name that holds one."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        held = {}  # names assigned a string (``uid = f"..."``, ``_DISPATCH_UID = "..."``)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                held[node.targets[0].id] = node.value
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "dispatch_uid":
                    continue
                value = keyword.value
                if isinstance(value, ast.Name) and value.id in held:
                    value = held[value.id]
                if isinstance(value, ast.JoinedStr):
                    value = value.values[0]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.append((path.name, value.value))
    return found


def test_every_package_receiver_uid_starts_with_the_package_name():
    seen = {}
    for package_dir in sorted(PACKAGES.glob("*/src/django_*")):
        uids = dispatch_uids(package_dir)
        seen[package_dir.name] = uids
        wrong = [(name, uid) for name, uid in uids if not uid.startswith(f"{package_dir.name}:")]
        assert wrong == [], f"{package_dir.name}: {wrong}"
    # The scan reads what it should: the packages that connect receivers are all seen.
    connecting = {name for name, uids in seen.items() if uids}
    assert {"django_audit_log", "django_modules", "django_rbac", "django_singleton"} <= connecting


def unnamed_connects(package_dir: Path) -> list[str]:
    """Files with a ``signal.connect(...)`` that names no dispatch_uid."""
    return [
        path.name
        for path in sorted(package_dir.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "connect"
        and not any(keyword.arg == "dispatch_uid" for keyword in node.keywords)
    ]


def test_every_receiver_is_connected_with_a_dispatch_uid():
    unnamed = {
        package_dir.name: unnamed_connects(package_dir)
        for package_dir in sorted(PACKAGES.glob("*/src/django_*"))
    }
    # The one exception: the test-flush route connects a bound method of each open route and
    # disconnects it on exit; a fixed uid would let two routes replace each other.
    assert {name: files for name, files in unnamed.items() if files} == {
        "django_basemodels": ["flush_route.py"]
    }


def test_the_scan_catches_another_style(tmp_path):
    package = tmp_path / "django_demo"
    package.mkdir()
    (package / "apps.py").write_text(
        'UID = "demo-restore"\n'
        "signal.connect(f, dispatch_uid=UID)\n"
        'signal.connect(g, dispatch_uid=f"django_demo:{label}")\n'
    )
    assert dispatch_uids(package) == [("apps.py", "demo-restore"), ("apps.py", "django_demo:")]
