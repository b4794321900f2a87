"""The three output formats of ``check``: text for people, JSON for tools, GitHub annotations."""

from __future__ import annotations

import json

from django_layers.config import ConfigError
from django_layers.model import JSON_KINDS, Result
from django_layers.paths import display_path


def _summary(result: Result) -> str:
    parts = [f"{len(result.violations)} violation(s)"]
    if result.errors:
        parts.append(f"{len(result.errors)} file error(s)")
    if result.allowed:
        parts.append(f"{result.allowed} allowed by 'allow'")
    if result.baselined:
        parts.append(f"{result.baselined} accepted by the baseline")
    cached = f", {result.from_cache} from cache" if result.from_cache else ""
    parts.append(f"{result.files} file(s) checked{cached}")
    return ", ".join(parts)


def text(result: Result) -> str:
    lines = []
    for error in result.errors:
        lines.append(f"{error.path}:{error.line}:{error.col}: error: {error.message}")
    for v in result.violations:
        lines.append(f"{v.path}:{v.line}:{v.col}: {v.message}")
        lines.append(f"    fix: {v.hint}")
    if result.stale_baseline:
        lines.append(
            f"{result.stale_baseline} baselined violation(s) no longer occur: run with "
            "--update-baseline to drop them"
        )
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def as_json(result: Result) -> str:
    data = {
        "violations": [dict(v.as_dict(), kind=JSON_KINDS[v.kind]) for v in result.violations],
        "errors": [
            {"path": e.path, "line": e.line, "col": e.col, "message": e.message}
            for e in result.errors
        ],
        "summary": {
            "violations": len(result.violations),
            "errors": len(result.errors),
            "allowed": result.allowed,
            "baselined": result.baselined,
            "stale_baseline": result.stale_baseline,
            "files": result.files,
            "from_cache": result.from_cache,
            "read_fast": result.fast,
            "read_by_syntax_tree": result.tree,
        },
    }
    return json.dumps(data, indent=2) + "\n"


def _escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(result: Result) -> str:
    lines = []
    for e in result.errors:
        where = f"file={_escape(e.path, True)},line={e.line},col={e.col}"
        lines.append(f"::error {where},title=django-layers::{_escape(e.message)}")
    for v in result.violations:
        where = f"file={_escape(v.path, True)},line={v.line},col={v.col}"
        title = _escape(f"django-layers: {v.rule}", True)
        lines.append(f"::error {where},title={title}::{_escape(v.message + '. Fix: ' + v.hint)}")
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def config_annotations(error: ConfigError) -> str:
    """A :class:`~django_layers.config.ConfigError` as workflow annotations on layers.yaml."""
    where = _escape(display_path(str(error.path)), True)
    return "".join(
        f"::error file={where},line={max(line, 1)},title=django-layers config::{_escape(message)}\n"
        for line, message in error.problems
    )


FORMATS = {"text": text, "json": as_json, "github": github}
