"""scripts/run-jobs, as `make test` runs its checks: whole outputs, failures named, exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN_JOBS = Path(__file__).resolve().parents[3] / "scripts" / "run-jobs"

# Two jobs whose lines alternate in time: each waits for a file the other creates (an event,
# not a pause), so that a runner printing lines as they come would interleave them.
FIRST = "echo first-1; touch a; until [ -e b ]; do sleep 0.01; done; echo first-2"
SECOND = "until [ -e a ]; do sleep 0.01; done; echo second-1; touch b; echo second-2"


def run_jobs(tmp_path: Path, *jobs: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(RUN_JOBS), "--jobs", "2", "--logs", str(tmp_path / "logs")]
    return subprocess.run(
        [*command, *jobs], capture_output=True, text=True, check=False, cwd=tmp_path, timeout=60
    )


def test_each_jobs_output_is_printed_whole_under_its_heading(tmp_path):
    done = run_jobs(tmp_path, f"first={FIRST}", f"second={SECOND}")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "=== first: ok" in out
    assert "=== second: ok" in out
    assert "first-1\nfirst-2\n" in out
    assert "second-1\nsecond-2\n" in out
    assert (tmp_path / "logs" / "first.log").read_text() == "first-1\nfirst-2\n"


def test_a_failed_job_fails_the_run_and_is_named_at_the_end(tmp_path):
    done = run_jobs(tmp_path, "passes=true", "breaks=echo broken >&2; exit 3", "also=true")
    assert done.returncode == 1
    out = done.stdout
    assert "=== breaks: FAILED (exit 3)" in out
    assert "broken" in out  # its stderr is part of its output
    assert out.rstrip().splitlines()[-1].startswith("FAILED: breaks ")
    table = out[out.index("=== 3 jobs") :]
    assert all(name in table for name in ("passes", "breaks", "also"))


def test_every_job_runs_even_after_one_failed(tmp_path):
    done = run_jobs(tmp_path, "breaks=exit 1", "later=touch ran")
    assert done.returncode == 1
    assert (tmp_path / "ran").exists()


def test_a_job_given_twice_or_without_a_command_is_refused(tmp_path):
    twice = run_jobs(tmp_path, "same=true", "same=false")
    assert twice.returncode != 0
    assert "given twice" in twice.stderr
    empty = run_jobs(tmp_path, "nothing=")
    assert empty.returncode != 0
    assert "is not NAME=COMMAND" in empty.stderr
