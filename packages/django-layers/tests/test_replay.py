"""The stored answer of a check: given again while nothing it read changed, never otherwise."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django_layers import cache, replay
from django_layers.cli import main as run_command

FORMATS = ("text", "json", "github")


def answered(*options):
    """The stored answer to ``check OPTIONS``, or ``None`` when the check has to run."""
    return replay.answer(["check", *options])


def settled(root):
    """A tree whose cache folder was made a while ago. The first check of a tree makes the
    folder beside layers.yaml, and so modifies that folder, which the answer of a fixture
    without any pyproject.toml depends on (none was found there): an answer is stored from the
    next check on, once that modification is old enough to trust."""
    (root / ".django-layers-cache").mkdir()
    aged(root)
    return root


@pytest.fixture
def layered(layered):
    return settled(layered)


@pytest.fixture
def run(capsys):
    """A check as the console script runs it: (exit status, output)."""

    def check(*options):
        code = replay.main(["check", *options])
        return code, capsys.readouterr().out

    return check


def full(capsys, *options):
    """The check run through, the stored answer ignored."""
    code = run_command(["check", *options])
    return code, capsys.readouterr().out


def findings(check, *options):
    """Exit status, violations and file errors of a check (``check``: ``run`` or ``full``)."""
    code, out = check("--format", "json", *options)
    data = json.loads(out)
    return code, data["violations"], data["errors"]


def read_again(capsys):
    """What a check that reads every file finds."""
    return findings(lambda *options: full(capsys, *options), "--no-cache")


def aged(*paths):
    """Date files and folders back, as an old checkout's: fresh times are not trusted."""
    past = time.time() - 3600
    for path in paths:
        os.utime(path, (past, past))


def test_an_unchanged_tree_is_answered_as_the_check_answers_it(layered, run, capsys):
    reference = {fmt: full(capsys, "--no-cache", "--format", fmt) for fmt in FORMATS}
    run()  # stores the answer
    for fmt in FORMATS:
        stored = answered("--format", fmt)
        assert stored is not None
        os.remove(layered / ".django-layers-cache" / replay.FILE_NAME)
        from_result = full(capsys, "--format", fmt)  # the whole result's answer, stored again
        assert stored == (from_result[1], from_result[0])
        assert run("--format", fmt) == from_result
    violations = json.loads(run("--format", "json")[1])["violations"]
    assert violations == json.loads(reference["json"][1])["violations"]
    assert run()[0] == reference["text"][0] == 1


def test_every_spelling_of_the_three_options_is_answered(layered, run):
    (layered / "elsewhere").mkdir()
    aged(layered)
    run("--config", "layers.yaml")
    for options in (
        (),
        ("--config=layers.yaml", "--format=json"),
        ("--format", "text", "--format", "github", "--config", "./layers.yaml"),
    ):
        assert answered(*options) is not None, options
    cached = ".django-layers-cache"
    assert answered("--cache-dir", "elsewhere") is None
    run("--cache-dir", "elsewhere")
    assert answered("--cache-dir=elsewhere") is not None
    assert answered("--cache-dir", cached) is not None  # the same folder, named


@pytest.mark.parametrize(
    "options",
    [
        ("--no-cache",),
        ("--baseline", "baseline.json"),
        ("--form", "json"),  # an abbreviation: argparse's to read
        ("--format", "xml"),
        ("--format",),
        ("--config", "-x"),
        ("--config=",),
        ("--help",),
        ("extra",),
    ],
)
def test_other_options_run_the_check(layered, run, options):
    run()
    assert answered() is not None
    assert answered(*options) is None
    assert replay.answer(["graph"]) is None
    assert replay.answer([]) is None


def test_an_edited_added_or_removed_file_is_checked_again(layered, run, capsys):
    plain = layered / "src" / "basics" / "plain.py"
    basics = plain.parent
    run()
    plain.write_text(plain.read_text().replace("import alpha\n", "import os.path\n"))
    aged(plain)
    assert answered() is None
    assert findings(run) == read_again(capsys)
    assert answered() is not None
    added = basics / "extra.py"
    added.write_text("import alpha\n")
    aged(added, basics)
    assert answered() is None
    assert "src/basics/extra.py" in run()[1]
    assert findings(run) == read_again(capsys)
    added.unlink()
    aged(basics)
    assert answered() is None
    assert "src/basics/extra.py" not in run()[1]


def test_a_folder_that_becomes_a_package_is_checked_again(layered, run):
    data = layered / "src" / "basics" / "data"
    data.mkdir()
    (data / "loader.py").write_text("import alpha\n")
    aged(data, data / "loader.py", data.parent)
    run()
    assert "basics.data" not in run("--format", "json")[1]
    assert answered() is not None
    (data / "__init__.py").write_text("")
    aged(data / "__init__.py", data)  # only the folder's own time shows it
    assert answered() is None
    assert "basics.data.loader" in run("--format", "json")[1]


def test_a_package_in_a_folder_that_had_none_is_checked_again(copy_fixture, run):
    root = settled(copy_fixture("declared"))
    empty = root / "packages" / "empty"
    empty.mkdir()
    aged(empty, empty.parent)
    first = run()
    assert answered() is not None
    package = empty / "src" / "p_four"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("import p_one\n")
    aged(package / "__init__.py", package, package.parent, empty)
    assert answered() is None
    assert run() != first  # p_four is found, and is in no layer


def test_a_pyproject_where_none_was_is_checked_again(copy_fixture, run, capsys):
    root = settled(copy_fixture("declared"))
    run()
    assert answered() is not None
    nearer = root / "packages" / "two" / "src" / "pyproject.toml"
    nearer.write_text('[project]\nname = "p-two"\ndependencies = ["p_one", "p_three"]\n')
    aged(nearer, nearer.parent)
    assert answered() is None
    assert findings(run) == read_again(capsys)


def test_a_pyproject_above_every_package_is_checked_again(layered, run, capsys):
    run()
    assert answered() is not None
    pyproject = layered / "pyproject.toml"
    pyproject.write_text('[project]\nname = "shop"\ndependencies = []\n')
    aged(pyproject, layered)
    assert answered() is None
    assert findings(run) == read_again(capsys)


def test_the_configuration_is_compared_byte_for_byte(layered, run, capsys):
    config = layered / "layers.yaml"
    run()
    aged(config)  # touched, the same bytes: the same answer
    assert answered() is not None
    config.write_text(config.read_text() + "# one more line\n")
    aged(config)
    assert answered() is None
    assert findings(run) == read_again(capsys)
    assert answered() is not None


def test_a_configuration_written_just_before_is_answered(layered, run, monkeypatch):
    """A fresh checkout: its configuration is as new as its files. The check reads the bytes
    the answer is stored under, so their modification time need not be old."""
    monkeypatch.setattr(cache, "FINE_RACY_NS", 60 * 1_000_000_000)
    config = layered / "layers.yaml"
    config.write_text(config.read_text())
    run()
    assert answered() is not None


def test_another_working_directory_version_or_python_is_checked_again(layered, run, monkeypatch):
    run()
    assert answered() is not None
    monkeypatch.chdir(layered / "src")
    assert answered("--config", "../layers.yaml") is None  # paths are shown from here
    monkeypatch.chdir(layered)
    monkeypatch.setattr(replay, "__version__", "99.0")
    assert answered() is None
    monkeypatch.undo()
    monkeypatch.chdir(layered)
    assert answered() is not None
    monkeypatch.setattr(sys, "version_info", (3, 99, 0, "final", 0))
    assert answered() is None


def test_a_file_modified_just_before_is_answered_after_its_content_is_compared(
    layered, run, monkeypatch, count_opens
):
    monkeypatch.setattr(cache, "FINE_RACY_NS", 60 * 1_000_000_000)
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text(plain.read_text())  # modified now; its folder is not
    run()
    opened = count_opens()
    assert answered() is not None
    assert str(plain) in opened
    stat = os.stat(plain)
    plain.write_text(plain.read_text().replace("import alpha", "import sys #"))
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert os.stat(plain).st_size == stat.st_size
    assert answered() is None


def test_files_are_judged_recent_from_when_they_were_stated(layered, run, monkeypatch):
    """A fresh checkout: the files are written just before the folders are listed, and old
    enough once they are stated (listing a large tree takes a while). Like the whole result,
    the answer is stored without their content (a later edit changes their times)."""
    from django_layers import engine

    monkeypatch.setattr(cache, "FINE_RACY_NS", 60 * 1_000_000_000)
    now = time.time_ns()
    calls = []

    def clock():  # the listing starts now, the stating a minute later
        calls.append(None)
        return now if len(calls) == 1 else now + 60 * 1_000_000_000

    past = now - 30 * 1_000_000_000
    for path in (layered / "src").rglob("*.py"):
        os.utime(path, ns=(past, past))
    monkeypatch.setattr(engine, "time", type("Clock", (), {"time_ns": staticmethod(clock)}))
    run()
    assert answered() is not None


def test_nothing_is_stored_while_a_folder_is_too_new_to_trust(layered, run):
    added = layered / "src" / "basics" / "extra.py"
    added.write_text("")  # its folder is modified now
    aged(added)
    run()
    assert answered() is None
    aged(added.parent)
    run()
    assert answered() is not None


def test_a_result_with_file_errors_is_answered_with_its_status(layered, run):
    broken = layered / "src" / "basics" / "broken.py"
    broken.write_text("def f(:\n")
    aged(broken, broken.parent)
    run()
    again = run()  # as the cache answers it
    assert again[0] == 2
    assert answered() == (again[1], 2)


def test_a_configuration_error_stores_nothing(layered, run):
    config = layered / "layers.yaml"
    config.write_text(config.read_text().replace("  - tool\n", ""))
    aged(config)
    assert run()[0] == 2
    assert answered() is None


def test_a_cache_dir_set_in_the_configuration_is_not_answered_here(layered, run):
    config = layered / "layers.yaml"
    config.write_text(config.read_text() + "cache_dir: build/layers\n")
    aged(config)
    run()
    assert (layered / "build" / "layers" / "result.json").exists()
    assert not (layered / "build" / "layers" / replay.FILE_NAME).exists()
    assert not (layered / ".django-layers-cache" / replay.FILE_NAME).exists()
    assert answered() is None


def test_a_corrupt_answer_is_ignored(layered, run):
    run()
    first = run()
    stored = layered / ".django-layers-cache" / replay.FILE_NAME
    header = stored.read_bytes().partition(b"\n")[0]
    for data in (b"", header + b"\nnot marshal", header + b"\n\xe9", b"other\n"):
        stored.write_bytes(data)
        assert answered() is None
        assert run() == first


def loaded_by(cwd, argv, modules):
    """Run ``replay.main(argv)`` in a fresh interpreter (without coverage's imports); its last
    line of output is the exit code and which of ``modules`` it loaded."""
    probe = (
        "import sys\n"
        "from django_layers.replay import main\n"
        f"code = main({argv!r})\n"
        f"print(code, sorted(name for name in {modules!r} if name in sys.modules))\n"
    )
    bare = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE")}
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, env=bare, capture_output=True, text=True
    )


def test_an_answered_check_loads_none_of_the_checker(layered, run):
    run()
    done = loaded_by(
        layered,
        ["check"],
        (
            "argparse",
            "yaml",
            "json",
            "typing",
            "pathlib",
            "hashlib",
            "re",
            "django_layers.cli",
            "django_layers.engine",
            "django_layers.config",
        ),
    )
    lines = done.stdout.splitlines()
    assert lines[-2] == "20 violation(s), 20 file(s) checked, 20 from cache", done.stderr
    assert lines[-1] == "1 []", done.stderr


def test_a_stored_content_that_is_not_the_files_is_not_trusted(layered, run, monkeypatch):
    import marshal

    monkeypatch.setattr(cache, "FINE_RACY_NS", 60 * 1_000_000_000)
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text(plain.read_text())  # modified now: stored with its content's hash
    run()
    stored = layered / ".django-layers-cache" / replay.FILE_NAME
    header, _, payload = stored.read_bytes().partition(b"\n")
    key, guards, racy, outputs, code = marshal.loads(payload)
    assert [path for path, _ in racy] == [str(plain)]
    other = [(path, "0" * 32) for path, _ in racy]
    stored.write_bytes(header + b"\n" + marshal.dumps((key, guards, other, outputs, code)))
    assert answered() is None


def test_an_unchanged_answer_is_not_written_again(layered, capsys):
    full(capsys)
    stored = layered / ".django-layers-cache" / replay.FILE_NAME
    before = os.stat(stored)
    full(capsys)  # the check runs (not answered), and finds the same answer stored
    after = os.stat(stored)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_missing_configuration_stores_nothing(layered, run):
    assert run("--config", "missing.yaml")[0] == 2
    assert answered("--config", "missing.yaml") is None
    assert not (layered / ".django-layers-cache" / replay.FILE_NAME).exists()


def test_the_console_script_and_python_dash_m_start_here():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="django-layers")
    assert script.value == "django_layers.replay:main"
    main_module = Path(replay.__file__).with_name("__main__.py").read_text()
    assert "from django_layers.replay import main" in main_module


@pytest.mark.parametrize(
    "options",
    [
        (),
        ("--format", "json"),
        ("--format=github", "--config=layers.yaml"),
        ("--cache-dir", "elsewhere", "--format", "text", "--format", "json"),
    ],
)
def test_a_check_that_must_run_takes_the_options_read_here_as_argparse_reads_them(
    layered, capsys, options
):
    # No stored answer (--no-cache clears none, so each check starts from an empty folder).
    for folder in (layered / ".django-layers-cache", layered / "elsewhere"):
        if folder.exists():
            for stored in folder.iterdir():
                stored.unlink()
    code, out = replay.main(["check", *options]), capsys.readouterr().out
    assert (code, out) == full(capsys, *options, "--no-cache")
    assert replay.main(["check", "--no-cache", *options]) == code  # argparse's, through here
    assert capsys.readouterr().out == out
    assert code == 1
    assert out
    assert (layered / "elsewhere" / "files.json").exists() == ("elsewhere" in options)


def test_a_cold_check_loads_no_argument_parser_and_no_openssl(layered):
    done = loaded_by(
        layered,
        ["check", "--format", "json"],
        ("argparse", "hashlib", "_hashlib", "difflib", "django_layers.cli"),
    )
    assert done.stdout.splitlines()[-1] == "1 ['django_layers.cli']", done.stderr
    assert json.loads(done.stdout.rpartition("\n1 [")[0])["violations"]
