import pytest

import django_worklog


def test_public_names_are_reexported_lazily():
    from django_worklog.exceptions import NoActiveSession
    from django_worklog.services import start_session

    assert django_worklog.start_session is start_session
    assert django_worklog.NoActiveSession is NoActiveSession
    assert all(getattr(django_worklog, name) for name in django_worklog.__all__)


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        django_worklog.nope  # noqa: B018
