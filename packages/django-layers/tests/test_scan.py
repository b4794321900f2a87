"""The fast pass gives exactly the reference records, or declines (None) and the tree decides."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

from django_layers.extract import extract_ast
from django_layers.scan import scan

FIXTURES = Path(__file__).parent / "fixtures"

# (source, whether the fast pass must read it itself)
CASES = {
    "docstring and strings hide imports": (
        '''
        """
        import hidden
        from hidden import x
        """
        x = "import hidden"; y = 'from a import b'
        # import hidden
        import shown
        ''',
        True,
    ),
    "backslash-newline inside a string": ('x = "a\\\nimport hidden"\nimport shown\n', True),
    "parenthesized from-import with comments": (
        """
        from pkg.mod import (  # why
            a,
            b as c,  # note
        )
        """,
        True,
    ),
    "relative imports": (
        "from . import a\nfrom .. import b\nfrom .x.y import c\nfrom ... import d\n",
        True,
    ),
    "aliases and several modules": ("import a.b as c, d, e.f\n", True),
    "a relative import of a name that starts with import": (
        "from . import importlib\nfrom .. import import_x as y\nfrom .import_z import w\n",
        True,
    ),
    "nested imports keep their column": (
        """
        class A:
            def f(self):
                import deep
                from deeper import x
        """,
        True,
    ),
    "string prefixes": (
        'a = rb"\\"import x"\nb = Rb"x"\nc = u"x"\nd = f"{a!r:>{b}}"\nimport shown\n',
        True,
    ),
    "keyword followed by a string is not a prefix": (
        'if x:\n    pass\nelif"a":\n    import shown\n',
        True,
    ),
    "triple-quoted strings with quotes inside": ('s = """a "b" ""c"""\nimport shown\n', True),
    "crlf line endings": ("import a\r\nfrom b import c\r\n", True),
    "form feed in indentation": ("if x:\n\f    import a\n", True),
    "semicolon statements decline": ("import a; import b\n", False),
    "compound one-liners decline": ("if x: import a\n", False),
    "backslash continuation declines": ("from a \\\n    import b\n", False),
    "non-ascii names decline": ("import caf\u00e9\n", False),
    "imports continued with a backslash": (
        "from a import b, \\\n    c as d, \\\n  e\nimport f, \\\n    g.h as i\nimport j\n",
        True,
    ),
    "from-import whose import word is on a continued line declines": (
        "from a \\\n    import b\n",
        False,
    ),
    "continued names in parentheses decline": ("from a import (b, \\\n    c)\n", False),
    "a call continued with a backslash declines": ('x = ForeignKey \\\n    ("app.M")\n', False),
    "dependencies as the last word of the file": ("import a\ndependencies", True),
    "dependencies continued with a backslash declines": (
        'dependencies \\\n    = [("a", "0001")]\n',
        False,
    ),
    "dependencies as a chained target declines": ('x = dependencies = [("a", "0001")]\n', False),
    "dependencies on a continued line declines": (
        "x = 1 + \\\n2\ny = \\\n3\nimport b; \\\ndependencies = []\n",
        False,
    ),
    "dependencies followed by a comment declines": ("dependencies = \\\n    []\n", False),
    "dependencies assigned twice in one statement declines": (
        'dependencies = [("a", "0001")]; x = 1\n',
        False,
    ),
    "dependencies chained on one line declines": ("dependencies = other = []\n", False),
    "an import continuing a line declines": ("x = 1 + \\\n    2\nimport a\n", True),
    "an import in a continued line declines": ("import a; \\\nimport b\n", False),
    "non-ASCII indentation before an import declines": ("if x:\n\u00a0   import a\n", False),
    "type checking block with a literal brace f-string": (
        'if TYPE_CHECKING:\n    import a\nx = f"{{import b}} {c}"\n',
        True,
    ),
    "type checking block": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nimport b\n",
        True,
    ),
    "type checking block to the end of the file": (
        "import typing\nif typing.TYPE_CHECKING:  # why\n    import a\n\n    from b import (\n"
        "        c,\n    )\n",
        True,
    ),
    "type checking block inside a function, with what only looks like its end": (
        """
        def f():
            if TYPE_CHECKING:
                from a import b
                text = '''
        import not_an_import
        '''
                x = [
        1]
        # a comment at the margin
                import c
            import d
        import e
        """,
        True,
    ),
    "type checking blocks nested and repeated": (
        "if TYPE_CHECKING:\n    if TYPE_CHECKING:\n        import a\n    import b\n"
        "x = ForeignKey('app.M')\nif TYPE_CHECKING:\n    y = ForeignKey('other.M')\n",
        True,
    ),
    "type checking with an else branch": (
        "if TYPE_CHECKING:\n    import a\nelse:\n    import b\nimport c\n",
        True,
    ),
    "type checking in an elif, then an else": (
        "if x:\n    import a\nelif typing.TYPE_CHECKING:  # why\n    import b\n"
        "    if y:\n        import c\nelse:\n    import d\n",
        True,
    ),
    "type checking in an indented elif": (
        "def f():\n    if x:\n        pass\n    elif TYPE_CHECKING:\n        import a\n"
        "    import b\n",
        True,
    ),
    "type checking in a larger test changes nothing": (
        "if not TYPE_CHECKING:\n    import a\nif TYPE_CHECKING and x:\n    import b\n"
        "if (TYPE_CHECKING or y):\n    import c\nif TYPE_CHECKING.attr:\n    import d\n"
        "while not typing . TYPE_CHECKING:\n    import e\n",
        True,
    ),
    "type checking assigned or passed changes nothing": (
        "TYPE_CHECKING = False\nT = typing.TYPE_CHECKING\nf(\n    TYPE_CHECKING=True,\n)\n"
        "x = [y for y in z if TYPE_CHECKING]\nimport a\n",
        True,
    ),
    "type checking in parentheses declines": ("if (TYPE_CHECKING):\n    import a\n", False),
    "type checking test split over lines declines": (
        "if (\n    TYPE_CHECKING\n):\n    import a\n",
        False,
    ),
    "type checking test in nested parentheses declines": (
        "if (\n    (typing.TYPE_CHECKING)\n):\n    import a\n",
        False,
    ),
    "type checking block on the header line declines": ("if TYPE_CHECKING: import a\n", False),
    "type checking after a continued line declines": (
        "x = 1 + \\\n    TYPE_CHECKING\nimport a\n",
        False,
    ),
    "type checking indented with tabs declines": ("if TYPE_CHECKING:\n\timport a\n", False),
    "related fields": (
        """
        class M(models.Model):
            a = models.ForeignKey("app.A", on_delete=models.CASCADE)
            b = ForeignKey(to="app.B", on_delete=CASCADE)
            c = models.OneToOneField(on_delete=models.CASCADE, to="other.C")
            d = models.ManyToManyField(
                "app.D",
                through=get_through("x"),
            )
            e = models.ForeignKey("self", on_delete=models.CASCADE)
            f = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            g = models.ForeignKey(  # comment with ) in it
                "app.G", on_delete=models.CASCADE
            )
        """,
        True,
    ),
    "names that only look like calls": (
        """
        from django.db.models import ForeignKey, OneToOneField
        from importlib import import_module
        class ForeignKey(Field):
            pass
        def get_model(self, app_label="x.Y"):
            return isinstance(self, ForeignKey)
        def import_module(name, package=None):
            pass
        """,
        True,
    ),
    "get_model and import_module": (
        """
        apps.get_model("app", "Model")
        get_model("app.Model")
        apps.get_model(app_label, "Model")
        importlib.import_module("pkg.mod")
        import_module(".mod", "pkg")
        import_module(".mod", package=__package__)
        """,
        True,
    ),
    "migration dependencies": (
        """
        class Migration(migrations.Migration):
            dependencies = [
                ("app", "0001_initial"),
                migrations.swappable_dependency(settings.AUTH_USER_MODEL),
            ]
            operations = []
        x = Migration(
            dependencies=[("kwarg", "0001")],
        )
        y.dependencies = [("attr", "0001")]
        for dep in migration.dependencies:
            total = dependencies or []
        dependencies = tuple(other)
        """,
        True,
    ),
    "empty dependencies in any context": (
        "dependencies = []\nx = f(\n    dependencies=[],\n)\nimport shown\n",
        True,
    ),
    "dependencies as a tuple on one line": ('dependencies = (("app", "0001"),)  # ok\n', True),
    "annotated dependencies": (
        """
        class Migration:
            dependencies: list = [
                ("app", "0001_initial"),  # why
            ]
            dependencies: list[str]
        def f(
            dependencies: list = [("param", "0001")],
        ):
            return {dependencies: 1}
        if dependencies: pass
        dependencies: tuple = (("app", "0002"),)
        """,
        True,
    ),
    "annotated dependencies after a colon decline": (
        'class A: dependencies: list = [("app", "0001")]\n',
        False,
    ),
    "annotated dependencies in an expression are no literal": (
        'dependencies: list = [("a", "1")] + more\nimport shown\n',
        True,
    ),
    "dependencies used in an expression decline": ('dependencies = [("a", "1")] + more\n', False),
    "chained dependencies decline": ('x = dependencies = [("a", "1")]\n', False),
    "parenthesized dependencies target declines": ('(dependencies) = [("a", "1")]\n', False),
    "f-string that only names a coupling in its text": (
        'x = f"use get_model() for {name!r}"\nimport shown\n',
        True,
    ),
    "f-string with a call inside declines": ("x = f\"{import_module('a.b')}\"\n", False),
    "a keyword only in a late docstring": (
        'import a\ndef f():\n    """Say import b, then ForeignKey("x.Y")."""\n    return 1\n',
        True,
    ),
    "unterminated string declines": ('x = """never closed\nimport a\n', False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_pass_matches_the_tree(name):
    source, reads_itself = CASES[name]
    source = textwrap.dedent(source) if source.startswith("\n") else source
    fast = scan(source)
    if not reads_itself:
        assert fast is None
        return
    assert fast is not None, "the fast pass declined a case it must read"
    reference = extract_ast(source.encode())
    assert fast == reference
    assert reference or name == "names that only look like calls"


def _python_files(root: Path):
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _compare_tree(root: Path) -> tuple[int, int]:
    read, declined = 0, 0
    for path in _python_files(root):
        data = path.read_bytes()
        try:
            reference = extract_ast(data, str(path))
            text = data.decode("utf-8")
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue  # test data inside the standard library
        fast = scan(text)
        if fast is None:
            declined += 1
            continue
        assert fast == reference, path
        read += 1
    return read, declined


def test_every_fixture_file_is_read_exactly_by_the_fast_pass():
    read, declined = _compare_tree(FIXTURES)
    assert read > 20
    assert declined == 0


@pytest.mark.parametrize("package", ["json", "email", "importlib", "logging", "unittest"])
def test_standard_library_packages_are_read_exactly(package):
    root = Path(importlib.util.find_spec(package).origin).parent
    read, declined = _compare_tree(root)
    assert read > declined


def test_installed_django_is_read_exactly_where_available():
    spec = importlib.util.find_spec("django")
    if spec is None:
        pytest.skip("Django is not installed in this environment")
    read, declined = _compare_tree(Path(spec.origin).parent / "db")
    assert read > 50
    assert declined <= 2


@pytest.mark.skipif(sys.version_info < (3, 12), reason="nested f-string quotes need Python 3.12")
def test_f_strings_that_nest_quotes_decline():
    source = 'x = f"{d["key"]}"\nimport shown\n'
    assert scan(source) in (None, extract_ast(source))
