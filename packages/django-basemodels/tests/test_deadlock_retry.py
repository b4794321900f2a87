"""On MariaDB an operation (a soft delete, a restore, a racing insert) that InnoDB picks as a
deadlock's victim runs again."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, transaction

from django_basemodels.deadlocks import DEADLOCK_RETRIES, INNODB_DEADLOCK, retrying_deadlocks

# transaction=True: outside a test transaction, as an operation called on its own runs.
pytestmark = pytest.mark.django_db(transaction=True)


def failing(times: int, error: OperationalError):
    """An operation that raises ``error`` ``times`` times, then returns how often it ran."""
    calls = []

    def operation() -> int:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return len(calls)

    return operation


DEADLOCK = OperationalError(INNODB_DEADLOCK, "Deadlock found when trying to get lock")


@pytest.fixture
def on_mariadb(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")


def test_a_deadlock_victim_runs_again_until_it_succeeds(on_mariadb):
    assert retrying_deadlocks("default", failing(DEADLOCK_RETRIES, DEADLOCK)) == (
        DEADLOCK_RETRIES + 1
    )


def test_the_last_try_s_deadlock_reaches_the_caller(on_mariadb):
    with pytest.raises(OperationalError) as error:
        retrying_deadlocks("default", failing(DEADLOCK_RETRIES + 1, DEADLOCK))
    assert error.value is DEADLOCK


def test_other_errors_are_not_retried(on_mariadb):
    lost = OperationalError(2013, "Lost connection to server during query")
    operation = failing(1, lost)
    with pytest.raises(OperationalError) as error:
        retrying_deadlocks("default", operation)
    assert error.value is lost


def test_inside_a_callers_transaction_the_deadlock_is_the_callers(on_mariadb):
    with pytest.raises(OperationalError), transaction.atomic():
        retrying_deadlocks("default", failing(1, DEADLOCK))


def test_other_databases_never_retry(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(OperationalError):
        retrying_deadlocks("default", failing(1, DEADLOCK))
