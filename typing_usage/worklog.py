"""The public types of django-worklog, as a user's code sees them."""

from datetime import timedelta
from typing import Any

from typing_extensions import assert_type

import django_worklog
from django_worklog import (
    NoActiveSession,
    WorkLogError,
    WorkSession,
    get_active_session,
    start_session,
    stop_session,
    stop_stale_sessions,
)


def usage(user: Any, context: Any) -> None:
    assert_type(django_worklog.__version__, str)
    assert_type(start_session(user, context), WorkSession)
    assert_type(get_active_session(user), WorkSession | None)
    assert_type(stop_session(user), WorkSession)
    assert_type(stop_stale_sessions(timedelta(hours=12)), list[WorkSession])
    error: WorkLogError = NoActiveSession(user)
    assert_type(error, WorkLogError)
