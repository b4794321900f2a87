from datetime import datetime, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests.testapp.models import LabWork, RepairJob


@pytest.fixture
def user(db):
    # No password: hashing one costs seconds per test and no test logs these users in.
    return get_user_model().objects.create_user("sam")


@pytest.fixture
def other_user(db):
    return get_user_model().objects.create_user("kim")


@pytest.fixture
def job(db):
    return RepairJob.objects.create(title="Brake repair")


@pytest.fixture
def lab_work(db):
    return LabWork.objects.create(title="Blood panel")


class Clock:
    """The clock, under the test's control: ``clock.advance(seconds=90)``.

    It stands in for the application server's clock and, on PostgreSQL, for the database's:
    ``django_worklog_now()`` is redefined inside the test's transaction (rolled back with it).
    """

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        self._set_database_clock()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
        self._set_database_clock()

    def _set_database_clock(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION django_worklog_now() RETURNS timestamptz "
                f"LANGUAGE sql STABLE AS $$ SELECT '{self.now.isoformat()}'::timestamptz $$"
            )


@pytest.fixture
def clock(db, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("django_worklog.services.server_now", clock)
    monkeypatch.setattr("django_worklog.models.server_now", clock)
    return clock
