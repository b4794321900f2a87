"""How file paths are shown: relative to the working directory when below it."""

from __future__ import annotations

import os
from collections.abc import Callable


def path_display() -> Callable[[str], str]:
    """A function showing paths relative to today's working directory (read once: a run shows
    thousands of paths)."""
    here = os.getcwd()
    prefix = here if here.endswith(os.sep) else here + os.sep

    def show(path: str) -> str:
        path = os.path.abspath(path)
        if path.startswith(prefix):
            path = path[len(prefix) :]
        return path.replace(os.sep, "/")

    return show


def display_path(path: str) -> str:
    """Relative to the working directory when below it (clickable, and what CI annotates)."""
    return path_display()(path)
