"""The append-only transition table on MariaDB: the one UPDATE its triggers let through (Django's
SET NULL). Every refused write path: tests/test_contracts.py (primitives_testkit.append_only)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from django_encounters import EncounterTransition, transition

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "mysql", reason=f"about MariaDB; this run uses {connection.vendor}"
    ),
    pytest.mark.django_db,
]

TABLE = EncounterTransition._meta.db_table


def sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_set_null_alone_still_passes(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    sql(f"UPDATE {TABLE} SET transitioned_by_id = NULL WHERE id = %s", [record.pk])
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert (stored.transitioned_by_id, stored.to_state) == (None, "checked_in")


def test_deleting_the_user_clears_the_key_through_the_trigger(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    user.delete()
    assert EncounterTransition.objects.get(pk=record.pk).transitioned_by_id is None
