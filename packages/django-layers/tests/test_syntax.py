"""Proving files valid: ruff vouches, CPython decides whatever ruff flags or is not asked about.

Every error CPython finds must still be found, with CPython's line and column, whichever way a
file is proven; these tests plant each kind of error the symbol table adds to the grammar.
"""

import os
import stat
import symtable
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from django_layers import parallel, syntax
from django_layers.engine import run_check
from django_layers.loading import load_config

# Each is valid to the grammar's eye in some parser, and refused by CPython's compiler.
REFUSED = {
    "nonlocal_unbound": "def f():\n    nonlocal x\n",
    "nonlocal_module": "nonlocal x\n",
    "nonlocal_global": "def f():\n    x = 1\n    def g():\n        nonlocal x\n        global x\n",
    "nonlocal_after_use": "def f():\n    x = 1\n    def g():\n        print(x)\n"
    "        nonlocal x\n",
    "nonlocal_after_bind": "def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x\n",
    "nonlocal_annotated": "def f():\n    x = 1\n    def g():\n        nonlocal x\n"
    "        x: int = 2\n",
    # Misuses ruff does not report, in places where the statement holding them is harder to cut.
    "nonlocal_after_string": 'def f():\n    x = 1\n    def g():\n        s = """\ndef fake():\n'
    '    """\n        x = 2\n        nonlocal x\n',
    "nonlocal_after_brackets": "def f():\n    x = 1\n    def g():\n        y = [\n1]\n"
    "        x = 2\n        nonlocal x\n",
    "nonlocal_after_backslash": "def f():\n    x = 1\n    def g():\n        y = 1 + \\\n2\n"
    "        x = 2\n        nonlocal x\n",
    "nonlocal_in_else": "try:\n    pass\nexcept E:\n    pass\nelse:\n    def f():\n"
    "        x = 1\n        def g():\n            x = 2\n            nonlocal x\n",
    "nonlocal_after_decorator": "@d\ndef f():\n    x = 1\n    @d\n    def g():\n"
    "        print(x)\n        nonlocal x\n",
    "nonlocal_in_method_after_use": "class C(Base):  # a: b\n    x = 1\n\n    def f(self):\n"
    "        x = 1\n        def g():\n            print(x)\n            nonlocal x\n",
    "nonlocal_in_nested_class": "@d\nclass C:\n    class D:\n        def f(self):\n"
    "            x = 1\n            def g():\n                nonlocal x\n"
    "                x: int = 2\n",
    "nonlocal_in_class_after_brackets": "class C:\n    def f(self):\n        x = 1\n"
    "        def g():\n            y = [\n    1]\n            x = 2\n            nonlocal x\n",
    "nonlocal_mangled_in_method": "class C:\n    def f(self):\n        _C__x = 1\n"
    "        def g():\n            print(__x)\n            nonlocal _C__x\n",
    "parameter_nonlocal": "def f(a):\n    def g():\n        pass\n    nonlocal a\n",
    "parameter_global": "def f(a):\n    global a\n",
    "global_after_bind": "def f():\n    x = 1\n    global x\n",
    "global_after_use": "def f():\n    print(x)\n    global x\n",
    "global_annotated": "def f():\n    global x\n    x: int = 1\n",
    "duplicate_argument": "def f(a, a):\n    pass\n",
    "star_in_function": "def f():\n    from os import *\n",
    "yield_in_comprehension": "[(yield x) for x in y]\n",
    "yield_in_set_comprehension": "def f():\n    return {(yield) for y in z}\n",
    "walrus_in_class_comprehension": "class C:\n    [(z := 1) for x in y]\n",
    "walrus_rebinds_iteration": "[(x := 1) for x in y]\n",
    "walrus_in_iterable": "[x for x in (y := [1, 2])]\n",
    "yield_in_annotation": "from __future__ import annotations\ndef f(x: (yield)): pass\n",
    "python2_print": 'import os\nprint "hello"\n',
    "unclosed": "x = (\n",
    "assign_to_call": "f() = 1\n",
    "null_byte": "x = 1\0\n",
    "latin1_cookie_bad": "# -*- coding: latin-1 -*-\nx = (\n",
}
# Valid files that declare ``nonlocal``: no error may be reported for them.
ACCEPTED = {
    "nonlocal_valid": "x = 0\ndef f():\n    x = 1\n    def g():\n        nonlocal x\n"
    '        x = 2\n    return g\ns = """\ndef h():\n    nonlocal x\n"""\n',
    "nonlocal_in_class_method": "class C:\n    def f(self):\n        x = 1\n"
    "        def g():\n            nonlocal x\n            x += 1\n        return g\n",
    "nonlocal_class_cell": "class C:\n    def f(self):\n        super()\n        def g():\n"
    "            nonlocal __class__\n            return __class__\n        return g\n",
    "nonlocal_in_class_with_strings": "class C(\n    Base,\n):\n    s = '''\n    def fake():\n"
    "        nonlocal x\n'''\n    def f(self):\n        x = 1\n        def g():\n"
    "            nonlocal x\n            x = 2\n        return g\n",
    "nonlocal_only_in_comment": "def f():\n    x = 1  # nonlocal x\n",
}
# What ruff vouches for although CPython refuses it: the misuses of ``nonlocal`` it misses.
RUFF_MISSES = {
    "nonlocal_after_use", "nonlocal_after_bind", "nonlocal_annotated", "nonlocal_after_string",
    "nonlocal_after_brackets", "nonlocal_after_backslash", "nonlocal_in_else",
    "nonlocal_after_decorator", "nonlocal_in_method_after_use", "nonlocal_in_nested_class",
    "nonlocal_in_class_after_brackets", "nonlocal_mangled_in_method",
}  # fmt: skip
if sys.version_info < (3, 12):
    REFUSED["type_alias_before_312"] = "type X = int\n"
    REFUSED["generic_function_before_312"] = "def f[T](x: T): pass\n"


def cpython_verdict(text: str) -> tuple[int, int] | None:
    """Where CPython's compiler stops on ``text`` (compile also checks what ruff flags)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            symtable.symtable(text, "<planted>", "exec")
        except SyntaxError as error:
            return error.lineno or 1, error.offset or 1
        except ValueError:
            return 1, 1
    return None


@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A tree whose package holds one file per refused source, plus valid ones."""
    package = tmp_path / "src" / "planted"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("import os\n")
    for name, text in {**REFUSED, **ACCEPTED}.items():
        (package / f"{name}.py").write_bytes(text.encode("latin-1"))
    # A valid file under folder names ruff skips when it walks a tree itself.
    for folder in ("build", "venv"):
        (package / folder).mkdir()
        (package / folder / "__init__.py").write_text("def f(:\n")
    (package / "build" / "ok.py").write_text("import os\n")
    (package / "noqa.py").write_text("# ruff: noqa\ndef f():\n    from os import *  # noqa: F406\n")
    (tmp_path / "layers.yaml").write_text("sources: [src/*]\nlayers:\n  - name: all\n"
                                          "    packages: [planted]\n")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    return tmp_path


def errors_of(root):
    result = run_check(load_config(root / "layers.yaml", snapshot=False), use_cache=False)
    return {e.path: (e.line, e.col, e.message) for e in result.errors}, result


def expected_errors(root):
    expected = {}
    for path in sorted((root / "src").rglob("*.py")):
        text = path.read_bytes().decode("latin-1")
        verdict = cpython_verdict(text)
        if verdict is not None:
            expected[path.relative_to(root).as_posix()] = verdict
    return expected


def test_every_error_cpython_finds_is_reported_at_its_place(planted):
    found, result = errors_of(planted)
    assert {path: place[:2] for path, place in found.items()} == expected_errors(planted)
    assert "src/planted/noqa.py" in found  # a noqa comment does not hide an error
    assert "src/planted/build/__init__.py" in found  # nor does a folder ruff would skip
    assert "src/planted/venv/__init__.py" in found
    assert all(message.startswith("cannot be parsed") for _, _, message in found.values())
    assert result.files == len(REFUSED) + len(ACCEPTED) + 5


def test_files_no_rule_reads_are_checked_the_same(planted):
    """Files only proven to compile (their package in no layer) still have CPython check
    their ``nonlocal`` declarations."""
    (planted / "layers.yaml").write_text("sources: [src/*]\nlayers:\n  - name: all\n"
                                         "    packages: [planted.build]\n")  # fmt: skip
    config = load_config(planted / "layers.yaml", snapshot=False)
    result = run_check(config, use_cache=False, every_dependency=False)
    found = {e.path: (e.line, e.col) for e in result.errors}
    assert found == expected_errors(planted)
    assert {f"src/planted/{name}.py" for name in RUFF_MISSES} <= set(found)
    assert result.fast < len(REFUSED)  # most were proven to compile, not read


def test_without_ruff_the_same_errors_are_reported(planted, monkeypatch):
    with_ruff, _ = errors_of(planted)
    monkeypatch.setattr(syntax, "ruff_binary", lambda: None)
    without, _ = errors_of(planted)
    assert without == with_ruff


def test_ruff_vouches_for_valid_files_and_flags_each_planted_error(planted):
    files = sorted(str(p) for p in (planted / "src").rglob("*.py"))
    asked = [p for p in files if not syntax.needs_cpython(Path(p).read_bytes())]
    flagged = syntax.flagged_by_ruff(asked)
    assert flagged is not None
    vouched = {os.path.basename(p) for p in set(asked) - flagged}
    # The package's __init__, build/ok.py, the valid files, and the misuses of ``nonlocal``
    # that only CPython reports (the reader has CPython check those declarations).
    expected = {"__init__.py", "ok.py"} | {f"{name}.py" for name in {*ACCEPTED, *RUFF_MISSES}}
    assert vouched == expected


def test_files_ruff_is_not_asked_about():
    assert syntax.needs_cpython(b"x = 1\0")
    assert not syntax.needs_cpython(b"def f():\n    nonlocal x\n")
    assert syntax.declares_nonlocal(b"def f():\n    nonlocal x\n")
    assert not syntax.declares_nonlocal(b"import os\n")
    assert syntax.needs_cpython(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n")
    assert not syntax.needs_cpython("x = 'é'\n".encode())
    assert not syntax.needs_cpython(b"import os\n")


def test_target_version_is_this_interpreter():
    assert syntax.target_version() == f"py3{sys.version_info[1]}"


def fake_ruff(tmp_path, output: str, code: int = 0) -> str:
    script = tmp_path / "fake-ruff"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{output}\nEOF\nexit {code}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for ruff")
@pytest.mark.parametrize(
    ("output", "code"),
    [
        ("[]", 2),  # ruff failed
        ("not json", 0),
        ('{"a": 1}', 0),
        ('[{"filename": "/elsewhere.py"}]', 0),  # a file it was not asked about
        ('["text"]', 0),
    ],
)
def test_an_unexpected_answer_from_ruff_vouches_for_nothing(tmp_path, output, code):
    binary = fake_ruff(tmp_path, output, code)
    assert syntax.flagged_by_ruff([str(tmp_path / "a.py")], binary) is None


def test_a_missing_ruff_vouches_for_nothing(tmp_path):
    assert syntax.flagged_by_ruff([str(tmp_path / "a.py")], str(tmp_path / "no-ruff")) is None


def test_ruff_is_found_where_ruff_itself_says_it_is():
    from ruff import find_ruff_bin

    found = syntax.ruff_binary()
    assert found is not None
    assert os.path.samefile(found, find_ruff_bin())


def test_outside_a_virtual_environment_ruff_is_asked_where_it_is(monkeypatch):
    asked = []
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)
    monkeypatch.setattr("ruff.find_ruff_bin", lambda: asked.append(True) or "/opt/ruff/bin/ruff")
    assert syntax.ruff_binary() == "/opt/ruff/bin/ruff"
    assert asked


def test_a_virtual_environment_without_ruff_beside_python_asks_ruff(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr("ruff.find_ruff_bin", lambda: "/opt/ruff/bin/ruff")
    assert syntax.ruff_binary() == "/opt/ruff/bin/ruff"


def test_long_file_lists_are_split_into_several_calls(tmp_path, monkeypatch):
    monkeypatch.setattr(syntax, "_ARGUMENT_CHARACTERS", 100)
    paths = []
    for number in range(12):
        path = tmp_path / f"module_{number:02}.py"
        path.write_text("import os\n" if number != 7 else "def f(:\n")
        paths.append(str(path))
    assert len(syntax._batches(paths)) > 3
    assert syntax.flagged_by_ruff(paths) == {paths[7]}


def square(number: int, offset: int) -> int:
    return number * number + offset


def test_parallel_runs_keep_the_order_and_the_values(monkeypatch):
    tasks = [(number, 1) for number in range(500)]
    expected = [square(*task) for task in tasks]
    assert parallel.run_all(square, tasks, workers=2) == expected
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert parallel.run_all(square, tasks, workers=2) == expected
    assert parallel.run_all(square, tasks[:10], workers=2) == expected[:10]


def test_a_large_tree_read_on_both_cores_gives_the_serial_result(tmp_path, monkeypatch):
    package = tmp_path / "src" / "big"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for number in range(parallel.MINIMUM_TASKS * 3):
        body = f"import big.m{(number + 1) % 7}\nfrom . import m{number % 5}\n"
        if number % 40 == 13:
            body += "def f(:\n"
        elif number % 40 == 21:
            body += "if TYPE_CHECKING:\n    import typing_only\n"  # read by the syntax tree
        (package / f"m{number}.py").write_text(textwrap.dedent(body))
    (tmp_path / "layers.yaml").write_text(
        "sources: [src/*]\nlayers:\n  - name: all\n    packages: [big]\n"
    )
    monkeypatch.chdir(tmp_path)
    config = load_config(tmp_path / "layers.yaml", snapshot=False)
    both = run_check(config, use_cache=False)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    serial = run_check(config, use_cache=False)
    assert [(e.path, e.line, e.col) for e in both.errors] == [
        (e.path, e.line, e.col) for e in serial.errors
    ]
    assert len(both.errors) == 4
    assert both.dependencies == serial.dependencies
    assert (both.fast, both.tree) == (serial.fast, serial.tree) != (0, 0)


def test_a_file_gone_before_it_is_read_is_an_error(tmp_path):
    from django_layers.batch import NewFile, read_new
    from django_layers.cache import FileCache
    from django_layers.model import Result

    kept = tmp_path / "kept.py"
    kept.write_text("import os\n")
    gone = tmp_path / "gone.py"
    gone.write_text("import sys\n")
    files = [NewFile(str(p), p.stem, False, os.stat(p)) for p in (kept, gone)]
    gone.unlink()
    result = Result()
    read = read_new(files, FileCache(None), result, lambda path: path)
    assert list(read) == [str(kept)]
    [error] = result.errors
    assert (error.path, error.line, error.col) == (str(gone), 1, 1)
    assert error.message.startswith("cannot be read")
