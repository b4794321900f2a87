"""Internal layers: a package's own modules in layers, checked apart from the global layers."""

import json
import os
import textwrap
import time

import pytest

from django_layers.config import ConfigError, Layer
from django_layers.engine import run_check
from django_layers.loading import load_config

# A package `shop` above a package `core`; inside shop: settings, models, services, then the
# modules that face the outside world.
TREE = {
    "core/__init__.py": "",
    "core/util.py": "",
    "shop/__init__.py": "from shop.services import place_order\n",
    "shop/conf.py": "LIMIT = 3\n",
    "shop/models.py": "from shop import conf\nimport core.util\n",
    "shop/services.py": "from shop.models import Order\nfrom . import conf\n",
    "shop/admin.py": "from shop.services import place_order\nfrom shop.models import Order\n",
    "shop/views.py": "from shop import services\n",
    "shop/migrations/__init__.py": "",
    "shop/migrations/0001_initial.py": "dependencies = []\n",
}

CONFIG = """
sources: [src/*]
layers:
  - name: base
    packages: [core]
  - name: apps
    packages: [shop]
internal_layers:
  shop:
    - name: values
      modules: [shop.conf]
    - name: models
      modules: [shop.models]
    - name: services
      modules: [shop.services]
    - name: interface
      description: what the outside world calls
      modules: [shop, shop.admin, shop.views, shop.migrations]
"""


@pytest.fixture
def shop(tmp_path, monkeypatch):
    for name, text in TREE.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "layers.yaml").write_text(CONFIG.lstrip())
    past = time.time() - 3600  # as in a checkout: fresh files are not cached (racy times)
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.utime(path, (past, past))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(root, use_cache=False):
    return run_check(load_config(root / "layers.yaml", snapshot=False), use_cache=use_cache)


def found(result):
    return [
        (v.path, v.line, v.importer, v.imported, v.rule, v.importer_layer, v.imported_layer)
        for v in result.violations
    ]


def plant(root, relative, text):
    path = root / "src" / relative
    path.write_text(path.read_text() + text)


def problems(root, text):
    (root / "layers.yaml").write_text(textwrap.dedent(text).lstrip())
    with pytest.raises(ConfigError) as caught:
        check(root)
    return caught.value.problems


def test_the_declaration_is_read_with_its_lines(shop):
    config = load_config(shop / "layers.yaml", snapshot=False)
    assert list(config.internal_layers) == ["shop"]
    assert config.internal_layers["shop"] == [
        Layer("values", ["shop.conf"], False, 9),
        Layer("models", ["shop.models"], False, 11),
        Layer("services", ["shop.services"], False, 13),
        Layer("interface", ["shop", "shop.admin", "shop.views", "shop.migrations"], False, 15),
    ]
    assert config.internal_lines == {"shop": 8}
    assert config.module_lines["shop.conf"] == 10
    assert config.module_lines["shop.migrations"] == 17


def test_the_snapshot_of_the_configuration_keeps_the_declaration(shop):
    first = load_config(shop / "layers.yaml")  # parsed, then kept (the file is an hour old)
    assert (shop / ".django-layers-cache" / "config.json").is_file()
    again = load_config(shop / "layers.yaml")
    assert again.internal_layers == first.internal_layers
    assert again.internal_lines == first.internal_lines == {"shop": 8}


def test_a_package_that_keeps_its_internal_layers_is_clean(shop):
    result = check(shop)
    assert (result.violations, result.errors) == ([], [])
    assert result.files == 10


def test_a_planted_back_import_inside_the_package_is_caught(shop):
    plant(shop, "shop/models.py", "\ndef total():\n    from shop.services import place_order\n")
    plant(shop, "shop/conf.py", "from shop import admin\n")
    assert found(check(shop)) == [
        ("src/shop/conf.py", 2, "shop.conf", "shop.admin", "layers", "shop:values",
         "shop:interface"),
        ("src/shop/models.py", 5, "shop.models", "shop.services", "layers", "shop:models",
         "shop:services"),
    ]  # fmt: skip


def test_the_text_report_names_the_package_and_its_internal_layers(shop, cli):
    plant(shop, "shop/models.py", "from shop.services import place_order\n")
    code, out, _ = cli("check", "--no-cache")
    assert code == 1
    assert out.splitlines() == [
        "src/shop/models.py:3:1: shop.models -> shop.services (import): inside 'shop', layer "
        "'models' may not depend on the higher layer 'services'",
        "    fix: inside 'shop', move the code both need down into 'models' or below, move the "
        "importing code up, or pass what it needs in as an argument; if it must stay, add an "
        "'allow' entry with a reason",
        "1 violation(s), 10 file(s) checked",
    ]


def test_the_json_report_names_the_internal_layers(shop, cli):
    plant(shop, "shop/models.py", "from shop.services import place_order\n")
    code, out, _ = cli("check", "--format", "json", "--no-cache")
    assert code == 1
    [violation] = json.loads(out)["violations"]
    assert violation["importer"] == "shop.models"
    assert violation["imported"] == "shop.services"
    assert violation["rule"] == "layers"
    assert violation["importer_layer"] == "shop:models"
    assert violation["imported_layer"] == "shop:services"
    assert "inside 'shop'" in violation["message"]


def test_the_global_layers_still_apply_to_a_package_with_internal_layers(shop):
    plant(shop, "core/util.py", "from shop import models\n")
    plant(shop, "shop/services.py", "import core\n")  # downwards: allowed
    assert found(check(shop)) == [
        ("src/core/util.py", 1, "core.util", "shop.models", "layers", "base", "apps"),
    ]


def test_inside_its_app_a_label_names_the_models_or_the_migrations_not_the_package(shop):
    # The label 'shop' names the package, whose __init__.py is in the top layer; what a model
    # reference or get_model reaches is shop.models, what a migration needs is shop.migrations.
    config = load_config(shop / "layers.yaml", snapshot=False)
    interface = config.internal_layers["shop"][3]
    interface.packages.remove("shop.migrations")
    config.internal_layers["shop"][1].packages.append("shop.migrations")  # with the models
    plant(shop, "shop/migrations/0001_initial.py", "dependencies = [('shop', '0000_x')]\n")
    plant(shop, "shop/models.py", "parent = ForeignKey('shop.Order', on_delete=CASCADE)\n")
    plant(shop, "shop/services.py", "from django.apps import apps\napps.get_model('shop', 'X')\n")
    plant(shop, "shop/conf.py", "ForeignKey('shop.Order', on_delete=CASCADE)\n")
    plant(shop, "shop/conf.py", "dependencies = [('shop', '0001_initial')]\n")
    result = run_check(config, use_cache=False)
    assert found(result) == [
        ("src/shop/conf.py", 2, "shop.conf", "shop", "layers", "shop:values", "shop:models"),
        ("src/shop/conf.py", 3, "shop.conf", "shop", "layers", "shop:values", "shop:models"),
    ]
    assert [v.kind for v in result.violations] == ["model", "migration"]


def test_members_of_an_independent_internal_layer_stay_apart(shop):
    config = load_config(shop / "layers.yaml", snapshot=False)
    config.internal_layers["shop"][3].independent = True
    plant(shop, "shop/views.py", "from shop.admin import site\n")
    plant(shop, "shop/admin.py", "from shop import views\n")
    result = run_check(config, use_cache=False)
    assert found(result) == [
        ("src/shop/admin.py", 3, "shop.admin", "shop.views", "independent", "shop:interface",
         "shop:interface"),
        ("src/shop/views.py", 2, "shop.views", "shop.admin", "independent", "shop:interface",
         "shop:interface"),
    ]  # fmt: skip
    assert "are independent members of layer 'interface' of 'shop'" in result.violations[0].message


def test_an_allow_entry_accepts_an_internal_back_import(shop):
    plant(shop, "shop/models.py", "from shop.services import place_order\n")
    with open(shop / "layers.yaml", "a") as handle:
        handle.write(
            "allow:\n  - importer: shop.models\n    imported: shop.services\n"
            "    reason: moved down in the next release\n"
        )
    result = check(shop)
    assert (result.violations, result.allowed) == ([], 1)


def test_an_isolated_package_can_have_internal_layers(shop):
    text = CONFIG.replace("  - name: apps\n    packages: [shop]\n", "isolated: [shop]\n")
    (shop / "layers.yaml").write_text(text.lstrip())
    plant(shop, "shop/models.py", "from shop.views import page\n")
    assert found(check(shop)) == [
        ("src/shop/models.py", 2, "shop.models", "core.util", "isolated", "isolated", "base"),
        ("src/shop/models.py", 3, "shop.models", "shop.views", "layers", "shop:models",
         "shop:interface"),
    ]  # fmt: skip


def test_a_changed_declaration_is_rechecked_not_answered_by_the_last_result(shop):
    plant(shop, "shop/models.py", "from shop.services import place_order\n")
    config = load_config(shop / "layers.yaml", snapshot=False)
    assert len(run_check(config).violations) == 1  # stores the whole result
    assert run_check(config).from_cache == 10  # answered by it
    models, services = config.internal_layers["shop"][1:3]
    models.packages, services.packages = ["shop.services"], ["shop.models"]
    result = run_check(config)
    assert found(result) == [
        ("src/shop/services.py", 1, "shop.services", "shop.models", "layers", "shop:models",
         "shop:services"),
    ]  # fmt: skip
    assert result.violations == run_check(config, use_cache=False).violations


def test_every_module_of_the_package_must_be_placed(shop):
    (shop / "src" / "shop" / "extra.py").write_text("")
    (shop / "src" / "shop" / "reports").mkdir()
    (shop / "src" / "shop" / "reports" / "__init__.py").write_text("")
    (shop / "src" / "shop" / "reports" / "daily.py").write_text("")
    text = CONFIG.replace("[shop, shop.admin,", "[shop.admin,")
    (shop / "layers.yaml").write_text(text.lstrip())
    missing = "is in no internal layer of 'shop': add it, or the package above it, to one of them"
    with pytest.raises(ConfigError) as caught:
        check(shop)
    assert caught.value.problems == [
        (8, f"module 'shop' (src/shop/__init__.py) {missing}"),
        (8, f"module 'shop.extra' (src/shop/extra.py) {missing}"),
        (8, f"module 'shop.reports' (src/shop/reports/__init__.py) {missing}"),
        (8, f"module 'shop.reports.daily' (src/shop/reports/daily.py) {missing}"),
    ]


def test_listing_the_package_itself_places_every_module_no_longer_name_covers(shop):
    (shop / "src" / "shop" / "extra.py").write_text("")
    plant(shop, "shop/models.py", "from shop import extra\n")
    assert found(check(shop)) == [
        ("src/shop/models.py", 3, "shop.models", "shop.extra", "layers", "shop:models",
         "shop:interface"),
    ]  # fmt: skip


def test_a_module_named_in_no_source_is_a_config_error(shop):
    text = CONFIG.replace("[shop.conf]", "[shop.conf, shop.gone]")
    (shop / "layers.yaml").write_text(text.lstrip())
    with pytest.raises(ConfigError) as caught:
        check(shop)
    gone = "module 'shop.gone' is named here but found in no source"
    assert caught.value.problems == [(10, gone)]


def test_every_schema_problem_is_listed_with_its_line(shop):
    found = problems(
        shop,
        """
        sources: [src/*]
        layers:
          - name: apps
            packages: [shop, shop.views]
        unlayered: [core]
        internal_layers:
          shop:
            - name: low
              modules: [shop.models, shop.models, core.util, shop.views.parts]
              packages: [shop.conf]
            - name: low
              modules: []
            - modules: [shop.conf]
            - name: bare
            - name: rest
              modules: [shop]
          core:
            - name: all
              modules: [core]
          ghost: []
          nothing: 3
        """,
    )
    assert found == [
        (9, "module 'core.util' in layer 'low' of 'shop' is not in 'shop'"),
        (9, "module 'shop.models' is listed twice in layer 'low' of 'shop'"),
        (9, "module 'shop.views.parts' in layer 'low' of 'shop' belongs to 'shop.views', placed "
            "on its own in layer 'apps': list it in the internal layers of 'shop.views'"),
        (10, "unknown key 'packages' in a layer; expected: description, independent, modules, "
             "name"),
        (11, "duplicate layer name 'low' of 'shop'"),
        (12, "layer 'low' of 'shop' has no modules"),
        (13, "a layer of 'shop' is missing 'name'"),
        (14, "layer 'bare' of 'shop' is missing 'modules'"),
        (17, "package 'core' is in 'unlayered', where no rule applies: it cannot have internal "
             "layers"),
        (20, "package 'ghost' has internal layers but is in no layer"),
        (20, "the internal layers of 'ghost' must list at least one layer"),
        (21, "package 'nothing' has internal layers but is in no layer"),
        (21, "the internal layers of 'nothing' must be a list, got int '3'"),
    ]  # fmt: skip


def test_internal_layers_must_be_a_mapping_of_package_names(shop):
    text = "layers:\n  - name: a\n    packages: [shop, core]\ninternal_layers: []\n"
    assert problems(shop, text) == [(4, "internal_layers must be a mapping, got a list")]
    text = text.replace(" []\n", "\n  ? [x]\n  : []\n  core: []\n  core: []\n")
    assert problems(shop, text) == [
        (5, "internal_layers has a key that is not a string"),
        (7, "the internal layers of 'core' must list at least one layer"),
        (8, "duplicate key 'core' in internal_layers"),
    ]
