"""Reading one file: bytecode proof of validity, compile check, encodings, fallbacks."""

import os
import py_compile
import sys

import pytest

from django_layers.reader import FileError, compiled_by_python, read_bytes, read_file


def test_bytecode_written_by_python_proves_the_source(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import os\n")
    py_compile.compile(str(source), doraise=True)
    assert compiled_by_python(str(source), os.stat(source), source.read_bytes())


def test_stale_bytecode_proves_nothing(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import os\n")
    py_compile.compile(str(source), doraise=True)
    source.write_text("import os, sys\n")
    os.utime(source, (1_000_000, 1_000_000))
    assert not compiled_by_python(str(source), os.stat(source), source.read_bytes())


def test_hash_based_bytecode_is_checked_against_the_content(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import os\n")
    mode = py_compile.PycInvalidationMode.CHECKED_HASH
    py_compile.compile(str(source), doraise=True, invalidation_mode=mode)
    assert compiled_by_python(str(source), os.stat(source), source.read_bytes())
    assert not compiled_by_python(str(source), os.stat(source), b"import sys\n")


def test_no_bytecode_proves_nothing(tmp_path):
    source = tmp_path / "mod.py"
    source.write_text("import os\n")
    assert not compiled_by_python(str(source), os.stat(source), source.read_bytes())


def test_a_syntax_error_is_found_without_bytecode(tmp_path):
    source = tmp_path / "bad.py"
    source.write_text("import os\nx = (\n")
    with pytest.raises(FileError) as caught:
        read_file(str(source), os.stat(source), False)
    assert caught.value.line == 2
    assert caught.value.message.startswith("cannot be parsed: ")


def test_a_compile_error_the_parser_accepts_is_also_reported(tmp_path):
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    nonlocal x\n")
    with pytest.raises(FileError, match="nonlocal"):
        read_file(str(source), os.stat(source), False)


def test_fast_and_tree_paths(tmp_path):
    fast = tmp_path / "fast.py"
    fast.write_text("import a\n")
    assert read_file(str(fast), os.stat(fast), False) == (
        [("import", 1, 0, "a", 0, None, False)],
        [],
        "fast",
    )
    tree = tmp_path / "tree.py"
    tree.write_text("import a; import b\n")
    records, _, how = read_file(str(tree), os.stat(tree), False)
    assert how == "tree"
    assert [r[3] for r in records] == ["a", "b"]


def test_declared_encoding_and_bom(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\nimport a\n")
    assert read_file(str(latin), os.stat(latin), False)[0][0][3] == "a"
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport a\n")
    assert read_file(str(bom), os.stat(bom), False)[0] == [("import", 1, 0, "a", 0, None, False)]


def test_undecodable_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"x = '\xff'\n")
    with pytest.raises(FileError, match="cannot be parsed"):
        read_file(str(bad), os.stat(bad), False)


def test_apps_files_report_their_configs(tmp_path):
    apps = tmp_path / "apps.py"
    apps.write_text("class C(AppConfig):\n    name = 'shop'\n    label = 'store'\n")
    assert read_file(str(apps), os.stat(apps), True)[1] == [("shop", "store")]


@pytest.mark.skipif(sys.platform == "win32", reason="permissions")
def test_unreadable_file_is_an_error(tmp_path):
    missing = tmp_path / "gone.py"
    missing.write_text("")
    stat = os.stat(missing)
    missing.unlink()
    with pytest.raises(FileError, match="cannot be read"):
        read_file(str(missing), stat, False)


@pytest.mark.parametrize("size", [None, 0, 5, 69_999, 70_000, 200_000])
def test_the_whole_file_is_read_whatever_size_it_was_said_to_have(tmp_path, size):
    # The size comes from a ``stat`` made before: the file may have grown or shrunk since.
    source = tmp_path / "grown.py"
    content = b"x = 1\n" * 10_000 + b"\xff"
    source.write_bytes(content)
    assert read_bytes(str(source), size) == content


def test_an_empty_file_reads_as_empty(tmp_path):
    source = tmp_path / "__init__.py"
    source.write_bytes(b"")
    assert read_bytes(str(source), 0) == b""
    assert read_bytes(str(source)) == b""


def test_a_folder_in_place_of_a_file_is_an_error(tmp_path):
    with pytest.raises(FileError, match="cannot be read"):
        read_bytes(str(tmp_path), 0)


def test_warnings_about_the_checked_code_are_not_shown(tmp_path, recwarn):
    # Warnings are errors in this suite: an invalid escape would fail the read if it leaked.
    source = tmp_path / "escapes.py"
    source.write_text(
        'import a\nx = "\\d"\ny = ForeignKey("app.M", help_text="\\d")\nimport b; c\n'
    )
    records, _, how = read_file(str(source), os.stat(source), False)
    assert how == "tree"
    assert [r[3] for r in records] == ["a", "app", "b"]
    fast = tmp_path / "fast.py"
    fast.write_text('import a\ny = ForeignKey("app.M", help_text="\\d")\n')
    assert [r[3] for r in read_file(str(fast), os.stat(fast), False)[0]] == ["a", "app"]
    assert len(recwarn) == 0


def test_file_errors_cross_process_boundaries_whole(tmp_path):
    import pickle

    from django_layers.reader import read_source

    error = FileError("a.py", 3, 7, "cannot be parsed: invalid syntax")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.col, copy.message) == ("a.py", 3, 7, error.message)
    assert str(copy) == "a.py:3:7: cannot be parsed: invalid syntax"
    missing = read_source(str(tmp_path / "gone.py"), os.stat(tmp_path), False, True)
    assert isinstance(missing, FileError)
    assert missing.message.startswith("cannot be read")
