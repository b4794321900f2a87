"""The package's version. Its lazy public API: tests/test_contracts.py."""

import django_catalog


def test_version():
    assert django_catalog.__version__ == "0.1.0"
