import pytest

import django_singleton


def test_public_names_are_reexported_lazily():
    from django_singleton.models import SingletonModel

    assert django_singleton.SingletonModel is SingletonModel
    assert all(getattr(django_singleton, name) for name in django_singleton.__all__)


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        django_singleton.nope  # noqa: B018
