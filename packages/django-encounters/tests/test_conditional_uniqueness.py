"""Each conditional uniqueness of django-encounters is the database's: a raw-SQL duplicate is
refused on every database, and 32 racing writers leave exactly one winner on PostgreSQL and
MariaDB."""

import pytest
from django.db import connection

from django_basemodels import ConditionalUniqueConstraint
from django_encounters import EncounterDefinition
from django_encounters.exceptions import DuplicateDefinitionError
from django_encounters.models import EncounterTransition
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)
from tests.conftest import VISIT

THREADS = 32


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    assert conditional_unique_constraints("django_encounters") == {
        "encounters_definition_live_name_unique": ConditionalUniqueConstraint,
        "encounters_definition_live_code_unique": ConditionalUniqueConstraint,
        "encounters_one_creation_record": ConditionalUniqueConstraint,
    }


@pytest.mark.parametrize("field", ["name", "code"])
def test_raw_sql_cannot_repeat_a_live_name_or_code(definition, visit_fields, field):
    other = {"name": "Other", "code": "OTHER", field: visit_fields[field]}
    name = f"encounters_definition_live_{field}_unique"
    with refused_by_unique_constraint(EncounterDefinition, name):
        insert_by_raw_sql(EncounterDefinition(**{**visit_fields, **other}))
    definition.delete()
    insert_by_raw_sql(EncounterDefinition(**{**visit_fields, **other}))  # freed by the delete
    assert EncounterDefinition.objects.filter(**{field: visit_fields[field]}).count() == 1


def test_raw_sql_cannot_forge_a_second_creation_record(encounter):
    forged = EncounterTransition(encounter=encounter, from_state="", to_state="scheduled")
    if connection.vendor == "postgresql":
        # Its trigger refuses any hand-made transition first; with triggers off (as a superuser
        # could switch them), the unique index alone must still refuse.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    with refused_by_unique_constraint(EncounterTransition, "encounters_one_creation_record"):
        insert_by_raw_sql(forged)
    assert EncounterTransition.objects.filter(encounter=encounter, from_state="").count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_definitions_with_one_code_leave_one():
    def create(index):
        fields = {**VISIT, "name": f"Visit {index}"}
        return EncounterDefinition.objects.create(**fields).pk

    run = run_concurrently(create, threads=THREADS)
    assert len(run.results) == 1
    assert [type(error) for error in run.errors] == [DuplicateDefinitionError] * (THREADS - 1)
    assert {error.field for error in run.errors} == {"code"}
    assert EncounterDefinition.objects.filter(code=VISIT["code"]).count() == 1
