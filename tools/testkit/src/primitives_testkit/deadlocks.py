"""Make one write InnoDB's deadlock victim, on any database, to prove the retry around it.

A real deadlock needs racing transactions and luck (the 32-thread tests meet one now and then on
MariaDB); this makes the first call of a method fail exactly as MariaDB fails a deadlock's victim,
so a test can show that the write runs again and what the caller then sees::

    def test_a_deadlocked_insert_runs_again(monkeypatch):
        tries = deadlock_first_call(monkeypatch, BaseModel, "save")
        Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
        assert len(tries) == 2
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection

INNODB_DEADLOCK = 1213  # MariaDB's error for a transaction rolled back as a deadlock's victim


def deadlock_first_call(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[Any]:
    """Patch ``owner.name`` so that its first call raises MariaDB's deadlock error (and does
    nothing else) and later calls run the original; the default connection reports itself as
    MariaDB's (``vendor == "mysql"``), where the retry applies. Returns the calls' first
    arguments (``self``), one per try, in order."""
    monkeypatch.setattr(connection, "vendor", "mysql")
    original = getattr(owner, name)
    tries: list[Any] = []

    def first_call_deadlocks(self: Any, *args: Any, **kwargs: Any) -> Any:
        tries.append(self)
        if len(tries) == 1:
            raise OperationalError(INNODB_DEADLOCK, "Deadlock found when trying to get lock")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, first_call_deadlocks)
    return tries
