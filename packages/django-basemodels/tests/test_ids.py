"""UUID generation (django_basemodels.ids)."""

from __future__ import annotations

import time

import pytest

from django_basemodels import exceptions
from django_basemodels.exceptions import BaseModelsError, ImproperlyConfiguredUUIDVersionError
from django_basemodels.ids import new_uuid, uuid7
from tests.testapp.models import Token


@pytest.mark.django_db
def test_uuid_pk_is_version_7_by_default():
    assert Token.objects.create(label="a").pk.version == 7


@pytest.mark.django_db
def test_uuid_version_4_by_setting(settings):
    settings.BASEMODELS_UUID_VERSION = 4
    assert Token.objects.create(label="a").pk.version == 4


def test_uuid7_layout_follows_rfc_9562():
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"
    assert before <= value.int >> 80 <= after + 1


def test_uuid7_is_monotonic_within_a_process():
    ids = [uuid7() for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_unknown_version_is_refused(settings):
    settings.BASEMODELS_UUID_VERSION = 1
    with pytest.raises(
        ImproperlyConfiguredUUIDVersionError, match="is 1; expected 7 or 4"
    ) as error:
        new_uuid()
    assert isinstance(error.value, BaseModelsError)
    assert error.value.version == 1


def test_the_earlier_name_of_the_version_error_is_the_same_class(settings):
    """``ImproperlyConfiguredUUIDVersion`` is kept for compatibility: it catches the error."""
    assert exceptions.ImproperlyConfiguredUUIDVersion is ImproperlyConfiguredUUIDVersionError
    settings.BASEMODELS_UUID_VERSION = 1
    with pytest.raises(exceptions.ImproperlyConfiguredUUIDVersion):
        new_uuid()
