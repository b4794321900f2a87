"""Members own the modules below them; the longest configured name wins."""

from django_layers.config import Config, Layer
from django_layers.rules import Members


def test_longest_configured_name_owns_a_module(tmp_path):
    config = Config(tmp_path / "layers.yaml", tmp_path)
    config.layers = [Layer("low", ["django.db"]), Layer("high", ["django.db.models.sql"])]
    config.isolated = ["tool"]
    members = Members(config)
    assert members.owner("django.db.backends.base") == "django.db"
    assert members.owner("django.db.models.sql.query") == "django.db.models.sql"
    assert members.owner("django.db") == "django.db"
    assert members.owner("django.dbx") is None
    assert members.owner("django") is None
    assert members.owner("tool.x") == "tool"
    assert members.layer_of == {"django.db": "low", "django.db.models.sql": "high"}
