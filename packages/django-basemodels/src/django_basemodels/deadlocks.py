"""Running an operation again when MariaDB rolled it back as a deadlock's victim.

InnoDB can deadlock transactions that no lock order keeps apart: two soft deletes reaching one
row through different indexes, or racing inserts of one unique value whose duplicate checks
lock the same gap (each then waits to insert into the gap the other has locked). The victim's
whole transaction is rolled back; running it again is the fix InnoDB asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connections

__all__ = ["DEADLOCK_RETRIES", "INNODB_DEADLOCK", "retrying_deadlocks"]

T = TypeVar("T")
INNODB_DEADLOCK = 1213  # MariaDB's error for a transaction rolled back as a deadlock's victim
DEADLOCK_RETRIES = 3  # then a fourth and last try, whose error reaches the caller


def retrying_deadlocks(using: str, operation: Callable[[], T]) -> T:
    """Run ``operation`` (it opens its own transaction) and, on MariaDB, run it again when
    InnoDB rolled it back as a deadlock's victim.

    Only an operation that owns its transaction is retried: inside a caller's transaction the
    caller's work is gone too, and the error is the caller's to handle (by running its whole
    transaction again).
    """
    connection = connections[using]
    if connection.vendor != "mysql" or connection.in_atomic_block:
        return operation()
    for _ in range(DEADLOCK_RETRIES):
        try:
            return operation()
        except OperationalError as error:
            if error.args[0] != INNODB_DEADLOCK:
                raise
    return operation()
