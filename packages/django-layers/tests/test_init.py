"""The package's public names load lazily (the command line stays quick to start)."""

import subprocess
import sys

import pytest

import django_layers


def test_public_api_is_reachable_from_the_package():
    from django_layers.config import ConfigError
    from django_layers.engine import run_check
    from django_layers.loading import load_config
    from django_layers.model import Result, Violation

    assert django_layers.load_config is load_config
    assert django_layers.run_check is run_check
    assert django_layers.ConfigError is ConfigError
    assert (django_layers.Result, django_layers.Violation) == (Result, Violation)
    assert django_layers.__version__ == "0.1.0"


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="nothing_here"):
        django_layers.nothing_here  # noqa: B018


def test_importing_the_package_loads_nothing_else():
    code = "import sys, django_layers; print(sorted(m for m in sys.modules if 'layers' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['django_layers']"
