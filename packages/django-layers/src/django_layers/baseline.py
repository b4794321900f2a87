"""Baselines: accept today's violations so that only new ones fail the run.

A baseline lists violations without line numbers (file, importer, imported, kind, rule), as a
multiset: an edit that moves an old import does not make it new, and a second copy of it is new.
Violations that no longer occur stay in the file until it is rewritten with ``--update-baseline``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from django_layers.cache import write_atomic
from django_layers.model import Result

FORMAT = 1


class BaselineError(Exception):
    """The baseline file exists but cannot be used."""


def load(path: Path) -> Counter[tuple[str, ...]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BaselineError(
            f"baseline {path} does not exist; create it with --update-baseline"
        ) from error
    except (OSError, ValueError) as error:
        raise BaselineError(f"baseline {path} cannot be read: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f"baseline {path} is not a django-layers baseline (format {FORMAT})")
    return Counter(tuple(key) for key in data.get("violations", []))


def apply(result: Result, accepted: Counter[tuple[str, ...]]) -> None:
    """Drop the violations the baseline accepts; count the ones it lists that are gone."""
    remaining = Counter(accepted)
    kept = []
    for violation in result.violations:
        key = tuple(violation.key())
        if remaining[key] > 0:
            remaining[key] -= 1
            result.baselined += 1
        else:
            kept.append(violation)
    result.violations = kept
    result.stale_baseline = sum(remaining.values())


def write(path: Path, result: Result) -> None:
    keys = sorted(violation.key() for violation in result.violations)
    text = json.dumps({"format": FORMAT, "violations": keys}, indent=1) + "\n"
    write_atomic(path, text, ignore_folder=False)
