"""The command line: exit codes, the three output formats, baselines, graph, entry points."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.test_engine import EXPECTED


@pytest.fixture
def clean(tmp_path, monkeypatch):
    for name, text in {"low/__init__.py": "", "high/__init__.py": "import low\n"}.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True)
        path.write_text(text)
    (tmp_path / "layers.yaml").write_text(
        textwrap.dedent(
            """
            sources: [src/*]
            layers:
              - name: bottom
                packages: [low]
              - name: top
                packages: [high]
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_0_when_clean(clean, cli):
    code, out, _ = cli("check", "--config", "layers.yaml")
    assert code == 0
    assert out == "0 violation(s), 2 file(s) checked\n"


def test_exit_1_with_violations_and_text_output(layered, cli):
    code, out, _ = cli("check", "--no-cache")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "src/alpha/models.py:6:31: alpha.models -> beta (model reference): 'alpha' and 'beta' "
        "are independent members of layer 'apps'"
    )
    assert lines[1].startswith("    fix: members of an independent layer never depend")
    assert lines[-1] == "20 violation(s), 20 file(s) checked"


def test_exit_2_for_a_broken_config_listing_every_problem(layered, cli):
    (layered / "layers.yaml").write_text("layers: 3\nbogus: true\n")
    code, out, err = cli("check")
    assert code == 2
    assert out == ""
    assert "layers.yaml:1: layers must be a list" in err
    assert "layers.yaml:2: unknown key 'bogus'" in err


def test_config_problems_become_annotations_in_github_format(layered, cli):
    (layered / "layers.yaml").write_text("layers: 3\n")
    code, out, _ = cli("check", "--format", "github")
    assert code == 2
    assert out == (
        "::error file=layers.yaml,line=1,title=django-layers config::"
        "layers must be a list, got int '3'\n"
    )


def test_exit_2_for_usage_errors(cli):
    with pytest.raises(SystemExit) as caught:
        cli("check", "--format", "xml")
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        cli("check", "--update-baseline")
    assert caught.value.code == 2


def test_exit_2_for_a_file_that_cannot_be_parsed(layered, cli):
    (layered / "src" / "tool" / "broken.py").write_text("def f(:\n")
    code, out, _ = cli("check")
    assert code == 2
    assert out.splitlines()[0].startswith("src/tool/broken.py:1:")
    assert "error: cannot be parsed" in out.splitlines()[0]


def test_json_output(layered, cli):
    code, out, _ = cli("check", "--format", "json", "--no-cache")
    data = json.loads(out)
    assert code == 1
    found = [
        (v["path"], v["line"], v["importer"], v["imported"], v["kind"], v["rule"])
        for v in data["violations"]
    ]
    # JSON names a from-import as the text does: an import.
    assert found == [(*v[:4], "import" if v[4] == "from" else v[4], v[5]) for v in EXPECTED]
    assert data["summary"]["violations"] == 20
    assert data["summary"]["files"] == 20
    assert data["summary"]["read_fast"] == 20  # typing_only.py too: its block is parsed alone
    assert data["summary"]["read_by_syntax_tree"] == 0
    assert data["errors"] == []
    assert set(data["violations"][0]) == {
        "path", "line", "col", "importer", "imported", "kind", "rule", "importer_layer",
        "imported_layer", "message", "hint",
    }  # fmt: skip


def test_github_annotations(layered, cli):
    code, out, _ = cli("check", "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith(
        "::error file=src/alpha/models.py,line=6,col=31,title=django-layers%3A independent::"
        "alpha.models -> beta (model reference)"
    )
    assert sum(line.startswith("::error ") for line in lines) == 20


def test_baseline_accepts_todays_violations_and_fails_only_on_new_ones(layered, cli):
    code, _, err = cli("check", "--baseline", "baseline.json", "--update-baseline")
    assert code == 0
    assert "20 violation(s) recorded in baseline.json" in err
    assert cli("check", "--baseline", "baseline.json")[0] == 0

    services = layered / "src" / "alpha" / "services.py"
    services.write_text("\n\n" + services.read_text() + "import beta\n")  # old one moves down
    code, out, _ = cli("check", "--baseline", "baseline.json")
    assert code == 1
    assert out.splitlines()[0] == (
        "src/alpha/services.py:5:1: alpha.services -> beta (import): 'alpha' and 'beta' are "
        "independent members of layer 'apps'"
    )
    assert out.splitlines()[-1].startswith("1 violation(s), 20 accepted by the baseline")


def test_fixed_violations_leave_the_baseline_when_it_is_rewritten(layered, cli):
    cli("check", "--baseline", "baseline.json", "--update-baseline")
    (layered / "src" / "tool" / "__init__.py").write_text("import json\n")
    code, out, _ = cli("check", "--baseline", "baseline.json")
    assert code == 0
    assert "1 baselined violation(s) no longer occur" in out
    cli("check", "--baseline", "baseline.json", "--update-baseline")
    keys = json.loads((layered / "baseline.json").read_text())["violations"]
    assert len(keys) == 19
    assert ["src/tool/__init__.py", "tool", "basics.plain", "from", "isolated"] not in keys
    assert "no longer occur" not in cli("check", "--baseline", "baseline.json")[1]


def test_missing_or_foreign_baseline_is_a_usage_error(layered, cli):
    code, _, err = cli("check", "--baseline", "absent.json")
    assert code == 2
    assert "create it with --update-baseline" in err
    (layered / "other.json").write_text('{"format": 99}')
    assert cli("check", "--baseline", "other.json")[0] == 2


def test_graph_mermaid(layered, cli):
    code, out, _ = cli("graph", "--format", "mermaid")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart TB"
    assert '  subgraph group0["web"]' in lines
    assert '    shop_web["shop.web"]' in lines
    assert "  shop_web -->|1| shop_core" in lines
    assert "  alpha -. 3 forbidden .-> beta" in lines
    assert "  alpha -->|1| basics" in lines


def _run(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_python_dash_m_django_layers_check(layered):
    done = _run("-m", "django_layers.check", "--config", "layers.yaml", cwd=layered)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "20 violation(s), 20 file(s) checked"
    done = _run("-m", "django_layers", "check", "--config", "layers.yaml", cwd=layered)
    assert done.returncode == 1


def test_the_checker_does_not_import_django(layered):
    code = (
        "import sys; from django_layers.cli import main; code = main(['check']); "
        "assert 'django' not in sys.modules, 'Django was imported'; print(code)"
    )
    done = _run("-c", code, cwd=layered)
    assert done.stdout.strip().splitlines()[-1] == "1", done.stderr


def test_the_module_entry_points_run_the_check_in_process(layered, capsys, monkeypatch):
    import runpy

    from django_layers import check

    assert check.main(["--config", "layers.yaml"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "20 violation(s), 20 file(s) checked"
    monkeypatch.setattr(sys, "argv", ["django-layers", "check", "--format", "json"])
    with pytest.raises(SystemExit) as stopped:
        runpy.run_module("django_layers", run_name="__main__")
    assert stopped.value.code == 1
    assert json.loads(capsys.readouterr().out)["summary"]["violations"] == 20


def test_version_and_help_say_what_each_option_and_exit_status_means(cli, capsys):
    from django_layers import __version__

    with pytest.raises(SystemExit) as stopped:
        cli("--version")
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"django-layers {__version__}\n"
    for command in ("check", "graph"):
        with pytest.raises(SystemExit):
            cli(command, "--help")
        text = " ".join(capsys.readouterr().out.split())
        assert "--config CONFIG the configuration file (default: layers.yaml" in text
        assert "exit status: 0 no violations 1 violations found 2 a configuration" in text
    with pytest.raises(SystemExit):
        cli("check", "--help")
    assert "json for tools" in capsys.readouterr().out


def test_json_names_kinds_as_the_text_does(layered, cli):
    _, out, _ = cli("check", "--format", "json")
    kinds = {(v["path"], v["line"]): v["kind"] for v in json.loads(out)["violations"]}
    assert kinds[("src/alpha/services.py", 2)] == "import"  # ``from beta.api import ...``
    assert kinds[("src/basics/typing_only.py", 6)] == "type_only"
    assert set(kinds.values()) <= {"import", "type_only", "import_module", "model", "get_model",
                                   "migration"}  # fmt: skip


def test_a_check_loads_no_module_it_does_not_use(layered):
    """Start-up is a large part of a small tree's run: a cold check, then a warm one, must not
    load the modules only other commands, a pool of processes or help output need."""
    probe = (
        "import sys\n"
        "from django_layers.cli import main\n"
        "main(['check'])\n"
        "unused = ('multiprocessing', 'tempfile', 'tomllib', 'shutil', 'django_layers.starter',"
        " 'django_layers.graph')\n"
        "print(sorted(name for name in unused if name in sys.modules))\n"
    )
    # Coverage, when the suite runs under it, follows subprocesses and loads its own machinery
    # (multiprocessing, tomllib) in them: the probe runs without it, as users run the check.
    bare = {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE")}
    for run in ("cold", "warm"):
        done = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=layered,
            env=bare,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stdout.strip().splitlines()[-1] == "[]", (run, done.stdout, done.stderr)
