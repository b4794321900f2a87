import pytest

from django_singleton.signals import singleton_changed
from tests.testapp.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs["instance"], kwargs["using"]))

    singleton_changed.connect(receiver)
    yield calls
    singleton_changed.disconnect(receiver)


def test_save_sends_singleton_changed(received):
    settings = SiteSettings.get_instance()  # creating the row is a save too
    settings.save()
    assert received == [(SiteSettings, settings, "default")] * 2


def test_queryset_update_sends_without_instance(received):
    SiteSettings.get_instance()
    received.clear()
    SiteSettings.objects.update(maintenance=True)
    assert received == [(SiteSettings, None, "default")]


def test_an_update_that_matches_no_row_sends_nothing(received):
    SiteSettings.objects.update(maintenance=True)  # the table is still empty
    assert received == []
