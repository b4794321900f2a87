"""The reference extraction (syntax tree): what counts as a dependency."""

import textwrap

import pytest

from django_layers.extract import app_configs, extract_ast


def records(source: str) -> list[tuple]:
    return extract_ast(textwrap.dedent(source))


def test_plain_and_from_imports_with_positions():
    assert records(
        """
        import a.b as c, d
        from ..pkg import x, y as z
        from . import *
        """
    ) == [
        ("import", 2, 0, "a.b", 0, None, False),
        ("import", 2, 0, "d", 0, None, False),
        ("from", 3, 0, "pkg", 2, ["x", "y"], False),
        ("from", 4, 0, "", 1, ["*"], False),
    ]


def test_imports_in_functions_and_blocks_keep_their_column():
    found = records(
        """
        def f():
            try:
                import a
            except ImportError:
                if True:
                    from b import c
        """
    )
    assert [(r[1], r[2], r[3]) for r in found] == [(4, 8, "a"), (7, 12, "b")]


def test_type_checking_imports_are_type_only_and_else_branch_is_not():
    found = records(
        """
        import typing
        if typing.TYPE_CHECKING:
            import a
        else:
            import b
        if TYPE_CHECKING:
            def f():
                import c
        """
    )
    assert [(r[3], r[6]) for r in found] == [
        ("typing", False),
        ("a", True),
        ("b", False),
        ("c", True),
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('ForeignKey("app.Model", on_delete=CASCADE)', [("model", "app")]),
        ('models.OneToOneField(on_delete=CASCADE, to="app.Model")', [("model", "app")]),
        ('ManyToManyField("app.Model")', [("model", "app")]),
        ('ForeignKey("self")', []),
        ('ForeignKey("Model")', []),
        ("ForeignKey(Model)", []),
        ("ForeignKey(settings.AUTH_USER_MODEL)", []),
        ('apps.get_model("app", "Model")', [("get_model", "app")]),
        ('get_model("app.Model")', [("get_model", "app")]),
        ('apps.get_model(app_label="app", model_name="Model")', [("get_model", "app")]),
        ('apps.get_model(label, "Model")', []),
        ('importlib.import_module("a.b")', [("import_module", "a.b")]),
        ('import_module(".b", "a")', [("import_module", "a.b")]),
        ('import_module("..c", package="a.b")', [("import_module", "a.c")]),
        ('import_module(".b", __package__)', []),
        ("import_module(name)", []),
    ],
)
def test_django_couplings(source, expected):
    assert [(r[0], r[3]) for r in records(source)] == expected


def test_migration_dependencies_are_the_literal_pairs():
    found = records(
        """
        class Migration:
            dependencies = [
                ("app", "0001_initial"),
                migrations.swappable_dependency(settings.AUTH_USER_MODEL),
                ("other", "0002_more"),
            ]
        """
    )
    assert [(r[0], r[1], r[2], r[3]) for r in found] == [
        ("migration", 4, 8, "app"),
        ("migration", 6, 8, "other"),
    ]


def test_dependency_like_code_that_is_not_an_assignment_of_literals():
    assert records("Migration(dependencies=[('a', 'b')])") == []
    assert records("self.dependencies = [('a', 'b')]") == []
    assert records("dependencies = [('a', 'b')] + extra") == []


def test_definitions_named_like_couplings_are_not_calls():
    assert records('def get_model(app_label="x"):\n    pass\n') == []


def test_a_file_that_does_not_parse_raises_syntax_error():
    with pytest.raises(SyntaxError):
        extract_ast("def f(:\n")


def test_app_configs_name_and_label():
    source = """
    class AConfig(AppConfig):
        name = "pkg.a"
        label = "alpha"

    class BConfig(AppConfig):
        name = "pkg.b"

    class NotAnApp:
        pass
    """
    assert app_configs(textwrap.dedent(source)) == [("pkg.a", "alpha"), ("pkg.b", "")]
