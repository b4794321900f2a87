"""The public types of django-layers, as a user's code sees them."""

from pathlib import Path

from typing_extensions import assert_type

import django_layers
from django_layers import ConfigError, Result, load_config, run_check


def usage(path: Path) -> None:
    assert_type(django_layers.__version__, str)
    result = run_check(load_config(path))
    assert_type(result, Result)
    error: Exception = ConfigError(path, [(1, "unknown key")])
    assert_type(error, Exception)
