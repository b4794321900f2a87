"""django-catalog: commit_basket() with 1 / 10 / 100 items against a naive spawn (time and queries).

The measurement lives in the repository benchmark (bench/cases/catalog.py, one harness for every
package); this script runs its rows through bench/run, which builds .venv-bench (the peers and
this repository's packages) on first use:

    python packages/django-catalog/bench/commit_basket.py [--quick] [--databases sqlite] [--rounds 7]

DATABASE_URL=postgres://... runs on that server only (a scratch database is created and dropped).
"""

import os
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[3] / "bench" / "run"

if __name__ == "__main__":
    arguments = ["--only", "catalog", *sys.argv[1:]]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["BENCH_POSTGRES_URL"] = url
        arguments += ["--databases", "postgresql"]
    os.execv(RUN, [str(RUN), *arguments])
