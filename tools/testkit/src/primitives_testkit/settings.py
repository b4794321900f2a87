"""Database selection for every suite: one mechanism, documented in the root README."""

from __future__ import annotations

import os
from typing import Any

import dj_database_url

ENV_VAR = "DATABASE_URL"
# MariaDB's own default for utf8mb4 (case-insensitive, as most installations run it), so the
# suites meet the comparisons users' databases make.
MYSQL_CHARSET = "utf8mb4"
MYSQL_COLLATION = "utf8mb4_general_ci"


def database_from_env(name: str) -> dict[str, dict[str, Any]]:
    """Return ``DATABASES`` for the suite called ``name``.

    Without ``DATABASE_URL`` the suite runs on SQLite in memory. With it, the URL names the server
    and the test database becomes ``test_<name>``, so two suites never fight over one database.
    ``PRIMITIVES_TEST_DB_SUFFIX`` (optional) is appended to that name, so two checkouts of the
    repository can run the same suite on one server at the same time. On MariaDB (``mysql://``)
    the connection and the test database use utf8mb4: the server's older ``utf8`` stores at most
    three bytes a character and refuses the rest of Unicode.
    """
    url = os.environ.get(ENV_VAR, "").strip()
    if not url:
        return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    default = dj_database_url.parse(url, conn_max_age=0)
    suffix = os.environ.get("PRIMITIVES_TEST_DB_SUFFIX", "")
    default["TEST"] = {"NAME": f"test_{name}{suffix}"}
    if default["ENGINE"] == "django.db.backends.mysql":
        default.setdefault("OPTIONS", {})["charset"] = MYSQL_CHARSET
        default["TEST"].update(CHARSET=MYSQL_CHARSET, COLLATION=MYSQL_COLLATION)
    return {"default": default}
