"""Attacks on the append-only dispense log on MariaDB (PostgreSQL: test_attacks_append_only.py).
Non-transactional: the triggers come with the migrations, and each refused statement runs in a
savepoint."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from django_catalog.models import DispenseLog
from django_catalog.services import commit_basket, dispense

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
    ),
    pytest.mark.django_db,
]

TABLE = DispenseLog._meta.db_table
REFUSED = "refused: dispense log entries are append-only"


def sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def entry(filled_basket, user):
    work_items = commit_basket(filled_basket, user)
    medication = next(item for item in work_items if item.quantity == 3)
    return dispense(medication, user)


def assert_untouched(entry):
    assert list(DispenseLog.objects.values_list("pk", "quantity")) == [(entry.pk, 1)]


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET quantity = 3", "UPDATE"),
        (f"UPDATE {TABLE} SET quantity = (SELECT 3)", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"DELETE FROM {TABLE} WHERE quantity IN (SELECT 1)", "DELETE"),
    ],
)
def test_raw_sql_is_refused(entry, statement, operation):
    with pytest.raises(IntegrityError, match=f"^\\(4025, '{operation} on {TABLE} {REFUSED}'\\)$"):
        sql(statement)
    assert_untouched(entry)
