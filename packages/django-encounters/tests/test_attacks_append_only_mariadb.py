"""Attacks on the append-only transition table on MariaDB (PostgreSQL:
test_attacks_append_only.py). Non-transactional: the triggers come with the migrations, and each
refused statement runs in a savepoint."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from django_encounters import EncounterTransition, transition

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
    ),
    pytest.mark.django_db,
]

TABLE = EncounterTransition._meta.db_table
REFUSED = "refused: encounter transitions are append-only"


def sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def record(encounter):
    return transition(encounter, "checked_in", reason="arrived")


def assert_untouched(record):
    assert EncounterTransition.objects.filter(encounter=record.encounter).count() == 2
    assert EncounterTransition.objects.get(pk=record.pk).reason == "arrived"


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET reason = 'forged'", "UPDATE"),
        (f"UPDATE {TABLE} SET to_state = (SELECT 'completed')", "UPDATE"),
        (f"UPDATE {TABLE} SET transitioned_by_id = NULL, reason = 'forged'", "UPDATE"),
        (f"UPDATE {TABLE} SET transitioned_by_id = NULL, reason = UPPER(reason)", "UPDATE"),
        (f"DELETE FROM {TABLE}", "DELETE"),
        (f"DELETE FROM {TABLE} WHERE reason = 'arrived'", "DELETE"),
    ],
)
def test_raw_sql_is_refused(record, statement, operation):
    with pytest.raises(IntegrityError, match=f"^\\(4025, '{operation} on {TABLE} {REFUSED}'\\)$"):
        sql(statement)
    assert_untouched(record)


def test_set_null_alone_still_passes(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    sql(f"UPDATE {TABLE} SET transitioned_by_id = NULL WHERE id = %s", [record.pk])
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert (stored.transitioned_by_id, stored.to_state) == (None, "checked_in")


def test_deleting_the_user_clears_the_key_through_the_trigger(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    user.delete()
    assert EncounterTransition.objects.get(pk=record.pk).transitioned_by_id is None
