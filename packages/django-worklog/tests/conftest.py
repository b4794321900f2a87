from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model

from tests.testapp.models import LabWork, RepairJob


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("sam", password="pw")


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_user("kim", password="pw")


@pytest.fixture
def job(db):
    return RepairJob.objects.create(title="Brake repair")


@pytest.fixture
def lab_work(db):
    return LabWork.objects.create(title="Blood panel")


class Clock:
    """The server clock, under the test's control: ``clock.advance(seconds=90)``."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("django_worklog.services.server_now", clock)
    return clock
