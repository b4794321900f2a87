"""django-layers against import-linter and tach on fresh checkouts of 10^3 to 10^4 files.

The measurement lives in the repository benchmark (bench/cases/layers.py: one harness and
one settings module for every package). This script runs its rows through bench/run, which
builds .venv-bench (the peers and this repository's packages) on first use:

    python bench/vs_import_linter.py [--quick] [--databases sqlite] [--rounds 7]

With DATABASE_URL=postgres://... it runs on that server only (in a scratch database).
"""

import os
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[3] / "bench" / "run"

if __name__ == "__main__":
    arguments = ["--only", "layers", *sys.argv[1:]]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["BENCH_POSTGRES_URL"] = url
        arguments += ["--databases", "postgresql"]
    os.execv(RUN, [str(RUN), *arguments])
