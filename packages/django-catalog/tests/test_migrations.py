"""The migrations: in sync with the models, and the PostgreSQL guards they install."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from django_catalog.models import Basket, DispenseLog, WorkItem
from django_catalog.services import commit_basket, dispense

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_items(filled_basket, user):
    return commit_basket(filled_basket, user)


def _execute(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_migrations_match_the_models():
    call_command("makemigrations", "django_catalog", "--check", "--dry-run", verbosity=0)


def test_the_encounter_key_follows_the_setting():
    assert Basket._meta.get_field("encounter").related_model._meta.label == "testapp.Encounter"
    from django_catalog.migrations import __path__ as migrations_path

    with open(f"{migrations_path[0]}/0001_initial.py") as source:
        text = source.read()
    assert "swappable_dependency(settings.CATALOG_ENCOUNTER_MODEL)" in text
    assert "to=settings.CATALOG_ENCOUNTER_MODEL" in text
    assert "testapp" not in text


@pytest.mark.postgresql
def test_trigger_refuses_raw_update_and_delete_of_the_dispense_log(work_items, user):
    entry = dispense(work_items[1], user)
    table = DispenseLog._meta.db_table
    with pytest.raises(DatabaseError, match=r"UPDATE on \w+ refused: .* append-only"):
        _execute(f"UPDATE {table} SET quantity = 2 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match=r"DELETE on \w+ refused: .* append-only"):
        _execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])
    assert DispenseLog.objects.get(pk=entry.pk).quantity == 1


@pytest.mark.postgresql
def test_trigger_refuses_raw_status_moves_outside_the_chart(work_items):
    table = WorkItem._meta.db_table
    sql = f"UPDATE {table} SET status = %s WHERE id = %s"
    with pytest.raises(DatabaseError, match="cannot move from pending to completed"):
        _execute(sql, ["completed", work_items[0].pk])
    _execute(sql, ["in_progress", work_items[0].pk])
    _execute(sql, ["completed", work_items[0].pk])
    with pytest.raises(DatabaseError, match="cannot move from completed to pending"):
        _execute(sql, ["pending", work_items[0].pk])
    assert WorkItem.objects.get(pk=work_items[0].pk).status == "completed"


@pytest.mark.postgresql
def test_trigger_leaves_other_columns_writable(work_items):
    _execute(f"UPDATE {WorkItem._meta.db_table} SET priority = 40", [])
    assert set(WorkItem.objects.values_list("priority", flat=True)) == {40}
