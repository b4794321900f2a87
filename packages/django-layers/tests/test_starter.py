"""``django-layers init``: a starting layers.yaml for the layout it finds, every key explained."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from django_layers.loading import load_config
from django_layers.schema import LAYER_KEYS, TOP_KEYS

# What `django-admin startproject mysite .` and two `startapp` calls leave, plus the folders
# Django projects usually have that are not packages.
STARTPROJECT = {
    "manage.py": "import os\nimport sys\n",
    "mysite/__init__.py": "",
    "mysite/settings.py": "INSTALLED_APPS = ['shop', 'billing']\n",
    "mysite/urls.py": "from django.urls import include, path\nimport shop.views\n",
    "mysite/wsgi.py": "",
    "mysite/asgi.py": "",
    "shop/__init__.py": "",
    "shop/apps.py": "from django.apps import AppConfig\n",
    "shop/models.py": "from django.db import models\n",
    "shop/views.py": "from django.shortcuts import render\n",
    "shop/tests.py": "import billing.models\n",  # tests may cross: not read by default
    "shop/migrations/__init__.py": "",
    "billing/__init__.py": "",
    "billing/apps.py": "from django.apps import AppConfig\n",
    "billing/models.py": "from django.db import models\n",
    "billing/migrations/__init__.py": "",
    "templates/base.html": "<html></html>\n",
    "static/site.css": "",
}


def make(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def startproject(tmp_path, monkeypatch, age):
    make(tmp_path, STARTPROJECT)
    age(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def written(root):
    return yaml.safe_load((root / "layers.yaml").read_text())


def test_a_startproject_layout_gets_apps_below_the_project_and_checks_clean(startproject, cli):
    code, out, err = cli("init")
    assert (code, out) == (0, "")
    assert "wrote layers.yaml" in err
    data = written(startproject)
    assert data["sources"] == ["*/__init__.py"]
    assert data["layers"] == [
        {
            "name": "apps",
            "description": "Django apps that import no other package found here; independent: "
            "none may import another",
            "independent": True,
            "packages": ["billing", "shop"],
        },
        {
            "name": "project",
            "description": "settings, root URLs, WSGI and ASGI: free to import every app",
            "packages": ["mysite"],
        },
    ]
    assert data["check_dependencies"] is False
    code, out, err = cli("check")
    assert (code, err) == (0, "")
    assert out.endswith("0 violation(s), 14 file(s) checked\n")


def test_a_planted_cross_app_import_then_fails_the_check(startproject, cli):
    assert cli("init")[0] == 0
    (startproject / "shop" / "views.py").write_text("from billing.models import Invoice\n")
    code, out, _ = cli("check")
    assert code == 1
    assert out.splitlines()[0] == (
        "shop/views.py:1:1: shop.views -> billing.models (import): 'shop' and 'billing' are "
        "independent members of layer 'apps'"
    )


def test_a_src_layout_keeps_shared_code_below_the_apps(tmp_path, monkeypatch, cli):
    make(
        tmp_path,
        {
            "src/core/__init__.py": "",
            "src/core/money.py": "",
            "src/orders/__init__.py": "",
            "src/orders/apps.py": "",
            "src/orders/models.py": "import core.money\n",
            "src/config/__init__.py": "",
            "src/config/settings/__init__.py": "",
            "tests/__init__.py": "",
            "tests/test_orders.py": "import orders\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert cli("init")[0] == 0
    data = written(tmp_path)
    assert data["sources"] == ["src/*", "*/__init__.py"]
    assert [(layer["name"], layer["packages"]) for layer in data["layers"]] == [
        ("shared", ["core"]),
        ("apps", ["orders"]),
        ("project", ["config"]),
    ]
    assert data["unlayered"] == ["tests"]
    assert cli("check")[0] == 0


def test_a_monorepo_names_its_distribution_folders_and_checks_declarations(
    tmp_path, monkeypatch, cli
):
    make(
        tmp_path,
        {
            "packages/django-a/pyproject.toml": '[project]\nname = "a"\ndependencies = []\n',
            "packages/django-a/src/a_app/__init__.py": "",
            "packages/django-a/src/a_app/apps.py": "",
            "packages/tool/src/tool.py": "",
            "docs/src/not_python.txt": "",
            "node_modules/x/src/lib/__init__.py": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert cli("init")[0] == 0
    data = written(tmp_path)
    assert data["sources"] == ["packages/*/src/*"]
    assert [(layer["name"], layer["packages"]) for layer in data["layers"]] == [
        ("shared", ["tool"]),
        ("apps", ["a_app"]),
    ]
    assert data["check_dependencies"] is True
    assert cli("check")[0] == 0


def test_the_layers_follow_the_imports_the_project_has_so_the_first_check_passes(
    tmp_path, monkeypatch, cli
):
    make(
        tmp_path,
        {
            "mysite/__init__.py": "",
            "mysite/settings.py": "",
            "mysite/urls.py": "import orders.views\n",
            "customers/__init__.py": "",
            "customers/models.py": "import money\n",
            "orders/__init__.py": "",
            "orders/apps.py": "",
            # a model reference is a dependency too
            "orders/models.py": "from django.db import models\n"
            "customer = models.ForeignKey('customers.Customer', on_delete=models.CASCADE)\n",
            "orders/views.py": "import reports\n",
            "customers/apps.py": "",
            "money/__init__.py": "",
            "reports/__init__.py": "import customers.models\n",
            # an app and a package that import each other: one layer, not independent
            "chat/__init__.py": "",
            "chat/models.py": "import inbox\n",
            "inbox/__init__.py": "import chat.models\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert cli("init")[0] == 0
    layers = [
        (layer["name"], layer.get("independent", False), layer["packages"])
        for layer in written(tmp_path)["layers"]
    ]
    assert layers == [
        ("shared", True, ["money"]),
        ("apps", False, ["chat", "inbox"]),
        ("apps-2", True, ["customers"]),
        ("shared-2", True, ["reports"]),
        ("apps-3", True, ["orders"]),
        ("project", False, ["mysite"]),
    ]
    assert written(tmp_path)["layers"][1]["description"] == (
        "Django apps (and packages in a cycle with them) that import no other package found "
        "here; some of them import each other"
    )
    assert cli("check")[:2] == (0, "0 violation(s), 15 file(s) checked\n")
    # What init found is now guarded: customers may not reach up to orders.
    (tmp_path / "customers" / "models.py").write_text("import orders.models\n")
    code, out, _ = cli("check")
    assert code == 1
    assert "customers.models -> orders.models (import): layer 'apps-2' may not" in out


def test_every_key_of_the_schema_is_written_and_explained(startproject, cli):
    cli("init")
    text = (startproject / "layers.yaml").read_text()
    for key in TOP_KEYS:
        assert re.search(rf"^{key}:", text, re.MULTILINE), key
        assert re.search(rf"^# {key}: \w", text, re.MULTILINE), f"{key} is not explained"
    for key in LAYER_KEYS:
        assert re.search(rf"^ +(- )?{key}:", text, re.MULTILINE), key
    assert "independent: true forbids" in text
    config = load_config(startproject / "layers.yaml", snapshot=False)
    assert config.sources_written is True


def test_an_existing_file_is_kept_unless_forced(startproject, cli):
    (startproject / "layers.yaml").write_text("# mine\n")
    code, out, err = cli("init")
    assert (code, out) == (2, "")
    assert err == "django-layers: layers.yaml exists already: pass --force to replace it\n"
    assert (startproject / "layers.yaml").read_text() == "# mine\n"
    assert cli("init", "--force")[0] == 0
    assert written(startproject)["layers"][0]["name"] == "apps"


def test_another_path_is_written_for_the_folder_it_is_in(startproject, cli):
    (startproject / "ci").mkdir()
    make(startproject / "ci", {"lint/__init__.py": ""})
    assert cli("init", "--config", "ci/layers.yaml")[0] == 0
    data = yaml.safe_load((startproject / "ci" / "layers.yaml").read_text())
    assert data["layers"] == [
        {
            "name": "shared",
            "description": "other packages that import no other package found here; "
            "independent: none may import another",
            "independent": True,
            "packages": ["lint"],
        }
    ]


def test_a_folder_without_packages_exits_2_and_writes_nothing(tmp_path, monkeypatch, cli):
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("init")
    assert (code, out) == (2, "")
    assert err.startswith(f"django-layers: no Python package found in {tmp_path} (looked for")
    assert not (tmp_path / "layers.yaml").exists()


def test_a_package_found_in_two_layouts_exits_2(tmp_path, monkeypatch, cli):
    make(tmp_path, {"src/shop/__init__.py": "", "shop/__init__.py": ""})
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("init")
    assert code == 2
    assert err.startswith("django-layers: package 'shop' is found twice: ")
    assert not (tmp_path / "layers.yaml").exists()


def test_a_file_that_cannot_be_written_exits_2(startproject, cli):
    (startproject / "layers.yaml").mkdir()  # in the way, and not a file
    code, _, err = cli("init", "--force")
    assert code == 2
    assert err.startswith("django-layers: cannot write layers.yaml: ")


def test_init_help_lists_its_exit_statuses(capsys):
    from django_layers.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["init", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--force" in out
    assert "replace the file if it exists" in out
    assert "0  the file was written" in out
    assert "2  it exists already" in out


def test_the_repository_pre_commit_hook_runs_the_check(startproject, cli):
    """.pre-commit-hooks.yaml at the repository's root: its entry is this package's command."""
    hooks_file = Path(__file__).resolve().parents[3] / ".pre-commit-hooks.yaml"
    if not hooks_file.is_file():
        pytest.skip("needs the repository checkout around the package")
    [hook] = yaml.safe_load(hooks_file.read_text())
    assert (hook["id"], hook["language"], hook["pass_filenames"]) == (
        "django-layers",
        "system",
        False,
    )
    command, *arguments = hook["entry"].split()
    executable = Path(sys.executable).parent / command  # the console script installed with us
    assert cli("init")[0] == 0
    ran = subprocess.run([executable, *arguments], capture_output=True, text=True)
    assert (ran.returncode, ran.stdout) == (0, "0 violation(s), 14 file(s) checked\n")
    (startproject / "billing" / "models.py").write_text("import shop.models\n")
    ran = subprocess.run([executable, *arguments], capture_output=True, text=True)
    assert ran.returncode == 1
    assert "billing.models -> shop.models (import)" in ran.stdout
