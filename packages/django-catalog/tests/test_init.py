import pytest

import django_catalog
from django_catalog.services import commit_basket


def test_public_api_is_reexported_lazily():
    assert django_catalog.commit_basket is commit_basket
    assert django_catalog.__version__ == "0.1.0"
    with pytest.raises(AttributeError, match="nothing_here"):
        django_catalog.nothing_here  # noqa: B018
