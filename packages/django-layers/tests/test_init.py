"""The documented public names are the package's. That every exported name resolves lazily, an
unknown one raises AttributeError and importing the package loads nothing else (the command line
stays quick to start): tests/test_contracts.py."""

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
