"""The contracts every package of the repository keeps (primitives_testkit.contracts), and every
write path tried on a stopped session's times (primitives_testkit.append_only)."""

import re
from datetime import datetime, timezone

import pytest

from django_worklog.exceptions import ImmutableSessionError, WorkLogError
from django_worklog.models import WorkSession
from django_worklog.services import start_session, stop_session
from primitives_testkit.append_only import ImmutableFieldsContract
from primitives_testkit.contracts import PackageContract


class TestWorklogContracts(PackageContract):
    package = "django_worklog"
    base_error = WorkLogError
    check_prefix = "worklog"


class TestStoppedSessionTimesNeverChange(ImmutableFieldsContract):
    """A session's start, and once stopped its stop and duration, never change; its other fields
    and its deletion stay open (soft delete, metadata). The triggers guard every database."""

    model = WorkSession
    error = ImmutableSessionError
    changes = {
        "started_at": datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc),
        "stopped_at": datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc),
        "duration_seconds": 999,
    }
    trigger_vendors = frozenset({"postgresql", "mysql", "sqlite"})

    def trigger_message(self, operation):
        return re.escape(
            "worklog_session_immutable: started_at, and stopped_at/duration_seconds once stopped"
        )

    @pytest.fixture
    def row(self, user, job, clock):
        start_session(user, job)
        clock.advance(minutes=90)
        return stop_session(user)
