"""Timing, interleaving, medians, query counting and the table: what every case module shares.

A case compares two *sides* (ours and the peer). A side is a ``prepare`` callable: it does the
untimed set-up (fresh rows, a cleared cache) and returns the action to time. ``compare()``
runs the two sides alternately for several rounds (the first side alternates too), so drift on
a shared machine hits both alike, and reports the median time per operation of each plus the
queries one operation issues, counted in a separate, untimed run.
"""

from __future__ import annotations

import collections
import dataclasses
import statistics
import time
from collections.abc import Callable
from typing import Any

Action = Callable[[], Any]
Prepare = Callable[[], Action]


@dataclasses.dataclass
class Sizes:
    """How much work each case does: the full run, or --quick (just enough to run every line)."""

    quick: bool
    rounds: int

    def pick(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclasses.dataclass
class Row:
    package: str
    case: str
    peer: str
    database: str
    ours: float  # seconds per operation (median)
    theirs: float
    ours_queries: float | None = None  # per operation
    theirs_queries: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs if self.theirs else float("inf")


def prepared(action: Action) -> Prepare:
    """A side without set-up."""
    return lambda: action


def _timed(prepare: Prepare) -> float:
    action = prepare()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def count_queries(prepare: Prepare) -> int:
    """Queries one run of the action sends, counted as assertNumQueries counts them (BEGIN and
    COMMIT included), without CaptureQueriesContext's cap of 9,000: row-by-row peers send more.
    """
    from django.db import connection  # here: the layers case runs without Django set up
    from django.test.utils import CaptureQueriesContext

    action = prepare()
    capped = connection.queries_log
    connection.queries_log = collections.deque(capped)  # no maxlen
    try:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)
    finally:
        connection.queries_log = capped


def compare(
    ours: Prepare,
    theirs: Prepare,
    *,
    rounds: int,
    ops: int = 1,
    queries: bool = True,
    warm_up: bool = True,
) -> tuple[float, float, float | None, float | None]:
    """Median seconds per operation of each side over ``rounds`` interleaved rounds, and the
    queries per operation of each (``ops`` operations per action)."""
    if warm_up:  # imports, connections, prepared statements, caches
        _timed(ours), _timed(theirs)
    times: dict[str, list[float]] = {"ours": [], "theirs": []}
    sides = {"ours": ours, "theirs": theirs}
    for number in range(rounds):
        order = ("ours", "theirs") if number % 2 == 0 else ("theirs", "ours")
        for name in order:
            times[name].append(_timed(sides[name]) / ops)
    counts: list[float | None] = [None, None]
    if queries:
        counts = [count_queries(side) / ops for side in (ours, theirs)]
    return statistics.median(times["ours"]), statistics.median(times["theirs"]), *counts


class Collector:
    """Gathers the rows of one case module, labelled with its package and database."""

    def __init__(self, package: str, database: str, sizes: Sizes) -> None:
        self.package, self.database, self.sizes = package, database, sizes
        self.rows: list[Row] = []

    def pair(
        self,
        case: str,
        peer: str,
        ours: Prepare,
        theirs: Prepare,
        *,
        ops: int = 1,
        queries: bool = True,
        note: str = "",
        rounds: int | None = None,
    ) -> Row:
        mine, other, mine_q, other_q = compare(
            ours,
            theirs,
            rounds=rounds or self.sizes.rounds,
            ops=ops,
            queries=queries,
            warm_up=not self.sizes.quick,  # --quick proves the code runs; one pass is enough
        )
        return self.add(case, peer, mine, other, mine_q, other_q, note)

    def add(self, case: str, peer: str, ours: float, theirs: float, *extra: Any) -> Row:
        """A row measured by the case itself (when it must interleave more finely)."""
        row = Row(self.package, case, peer, self.database, ours, theirs, *extra)
        self.rows.append(row)
        return row

    @property
    def postgresql(self) -> bool:
        return self.database == "postgresql"


# ---------------------------------------------------------------------------------- the table
def human_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _queries(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


COLUMNS = (
    "package",
    "case",
    "compared with",
    "db",
    "ours",
    "theirs",
    "ours/theirs",
    "queries ours/theirs",
    "note",
)


def table_lines(rows: list[Row]) -> list[str]:
    """A Markdown table (readable as plain text too): one line per row."""
    cells = [
        (
            r.package,
            r.case,
            r.peer,
            r.database,
            human_time(r.ours),
            human_time(r.theirs),
            f"{r.ratio:.2f}x",
            f"{_queries(r.ours_queries)} / {_queries(r.theirs_queries)}",
            r.note,
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [COLUMNS, *cells]) for i in range(len(COLUMNS))]

    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return [line(COLUMNS), separator, *(line(c) for c in cells)]


def row_from_dict(data: dict[str, Any]) -> Row:
    return Row(**data)
