"""``deadlock_first_call``: the first call fails as MariaDB fails a deadlock's victim."""

import pytest
from django.db import OperationalError, connection

from primitives_testkit import deadlock_first_call
from primitives_testkit.deadlocks import INNODB_DEADLOCK


class Writer:
    def write(self, value):
        return value * 2


def test_the_first_call_is_a_deadlock_victim_and_later_calls_run(monkeypatch):
    writer = Writer()
    tries = deadlock_first_call(monkeypatch, Writer, "write")
    with pytest.raises(OperationalError) as error:
        writer.write(2)
    assert error.value.args[0] == INNODB_DEADLOCK
    assert writer.write(3) == 6
    assert tries == [writer, writer]


def test_the_connection_reports_mariadb_while_patched(monkeypatch):
    deadlock_first_call(monkeypatch, Writer, "write")
    assert connection.vendor == "mysql"
