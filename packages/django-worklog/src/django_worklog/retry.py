"""Running an operation again when it lost a race that the database decided."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, connections

from django_worklog.exceptions import SessionAlreadyActiveError
from django_worklog.models import is_one_active_violation

# How often an operation runs again after losing a race.
ATTEMPTS = 100
INNODB_DEADLOCK = 1213  # MariaDB: the transaction was rolled back as a deadlock's victim
T = TypeVar("T")


def retrying(using: str, attempt: Callable[[], T], starting: Any = None) -> T:
    """Run ``attempt`` (it opens its transaction, or savepoint) and run it again when it lost a
    race the database decided:

    - ``starting`` (the user of start_session()): another start for that user got its session
      past the one-active-session index first. The attempt's savepoint is rolled back; the
      next one sees the winner's session and switches from it.
    - MariaDB: InnoDB rolled the transaction back as a deadlock's victim (racing writes to the
      sessions' and the totals' unique indexes take gap locks in no fixed order). Only when the
      transaction was the attempt's own: inside a caller's, the caller's work is gone too.

    Each lost race means another call got through, so the calls make progress.
    """
    owns_transaction = not connections[using].in_atomic_block
    for number in range(1, ATTEMPTS + 1):
        last = number == ATTEMPTS
        try:
            return attempt()
        except IntegrityError as error:
            if starting is None or not is_one_active_violation(error):
                raise
            if last:
                raise SessionAlreadyActiveError(starting.pk) from error
        except OperationalError as error:
            if last or not owns_transaction or error.args[:1] != (INNODB_DEADLOCK,):
                raise
    raise AssertionError("unreachable")  # pragma: no cover
