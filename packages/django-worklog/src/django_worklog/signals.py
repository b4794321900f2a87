"""Signals sent by django-worklog, for hosts to wire to an audit log or notifications.

Both are sent inside the service's transaction, after the write: a receiver that raises undoes
the operation.
"""

from django.dispatch import Signal

# Arguments: sender (WorkSession), session, user.
session_started = Signal()

# Arguments: sender (WorkSession), session, user, reason ("user", "switched" or "system").
session_stopped = Signal()
