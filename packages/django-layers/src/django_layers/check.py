"""``python -m django_layers.check --config layers.yaml``: the same as ``django-layers check``."""

from __future__ import annotations

import sys

from django_layers.replay import main as _replay_main


def main(argv: list[str] | None = None) -> int:
    return _replay_main(["check", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
