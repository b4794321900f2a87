"""Loading layers.yaml: from its snapshot when unchanged, else parsed, with every problem.

PyYAML is imported only when the file has to be parsed: an unchanged configuration comes from
its snapshot, kept in the cache folder beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django_layers.cache import content_key, write_atomic
from django_layers.config import DEFAULT_CACHE_DIR, Config, ConfigError
from django_layers.sources import discover, placement_problems
from django_layers.version import __version__


def _snapshot_key(path: Path, data: bytes) -> list[Any]:
    return [__version__, str(path.resolve()), content_key(data, False)]


def load_config(path: str | Path, snapshot: bool = True, data: bytes | None = None) -> Config:
    """Read and validate ``path``; raises :class:`ConfigError` listing every problem.

    A validated configuration is kept in ``.django-layers-cache/config.json`` beside it, keyed
    on the file's content, so that an unchanged tree is re-checked without even loading the
    YAML parser (``snapshot=False`` parses the file regardless). ``data``: the file's content,
    when the caller has read it already; the configuration returned is then that content's.
    """
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            data = None  # the parser reports it
    key = _snapshot_key(path, data) if snapshot and data is not None else None
    stored = path.resolve().parent / DEFAULT_CACHE_DIR / "config.json"
    if key is not None:
        try:
            found = json.loads(stored.read_text(encoding="utf-8"))
            if found["key"] == key:
                return Config.from_dict(path, path.resolve().parent, found["config"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    config = _parse(path, data)
    if key is not None and config.cache_dir == DEFAULT_CACHE_DIR:
        write_atomic(stored, json.dumps({"key": key, "config": config.to_dict()}))
    return config


def _parse(path: Path, data: bytes | None) -> Config:
    """The configuration in ``path``; its problems, and those of placing its packages in the
    sources (when the sources themselves can be read), raised together."""
    # PyYAML loads only here: a configuration answered by its snapshot never needs it.
    from django_layers.schema import read  # noqa: PLC0415

    config, problems, placeable = read(path, data)
    if problems:
        if placeable:
            tree = discover(config)
            # A source written in the file that matches nothing is reported; placing packages in
            # sources that are not all there would only add noise. The default sources, never
            # written, are judged once the file itself is sound (run_check).
            if not tree.problems:
                problems.extend(placement_problems(config, tree))
            elif config.sources_written:
                problems.extend(tree.problems)
        raise ConfigError(path, problems)
    return config
