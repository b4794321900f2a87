"""django-layers: import boundaries for Python and Django projects, checked from layers.yaml.

Runs without Django: it reads sources, it never imports them.
"""

from __future__ import annotations

# typing.TYPE_CHECKING without importing typing (nor importlib): the console script starts by
# importing this package (django_layers.replay), where every millisecond shows.
TYPE_CHECKING = False
if TYPE_CHECKING:  # what __getattr__ below returns, named for type checkers
    from django_layers.config import ConfigError as ConfigError
    from django_layers.engine import run_check as run_check
    from django_layers.loading import load_config as load_config
    from django_layers.model import Result as Result
    from django_layers.model import Violation as Violation
    from django_layers.version import __version__ as __version__

__all__ = ["ConfigError", "Result", "Violation", "__version__", "load_config", "run_check"]

_EXPORTS = {
    "__version__": "django_layers.version",
    "ConfigError": "django_layers.config",
    "load_config": "django_layers.loading",
    "run_check": "django_layers.engine",
    "Result": "django_layers.model",
    "Violation": "django_layers.model",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'django_layers' has no attribute {name!r}")
    from importlib import import_module  # noqa: PLC0415

    return getattr(import_module(module), name)
