"""The conditional uniqueness of django-catalog (one live draft basket per encounter) is the
database's: a raw-SQL duplicate is refused on every database, and 32 racing writers leave exactly
one draft on PostgreSQL and MariaDB."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from django_basemodels import ConditionalUniqueConstraint
from django_catalog.models import Basket
from django_catalog.services import get_or_create_draft_basket
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)
from tests.testapp.models import Encounter

THREADS = 32
ONE_DRAFT = "catalog_basket_one_live_draft_per_encounter"


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    assert conditional_unique_constraints("django_catalog") == {
        ONE_DRAFT: ConditionalUniqueConstraint
    }


def test_raw_sql_cannot_add_a_second_draft(encounter, user, basket):
    with refused_by_unique_constraint(Basket, ONE_DRAFT):
        insert_by_raw_sql(Basket(encounter=encounter, created_by=user))
    basket.delete()
    insert_by_raw_sql(Basket(encounter=encounter, created_by=user))  # the old draft is gone
    assert Basket.all_objects.filter(encounter=encounter).count() == 2


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_drafts_for_one_encounter_leave_one():
    user = get_user_model().objects.create_user("nurse")
    encounter = Encounter.objects.create(label="visit 1")
    run = run_concurrently(
        lambda i: Basket.objects.create(encounter=encounter, created_by=user).pk, threads=THREADS
    )
    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    assert all(isinstance(error, IntegrityError) for error in run.errors), run.errors
    assert Basket.objects.filter(encounter=encounter, status="draft").count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_callers_of_the_service_share_one_draft():
    user = get_user_model().objects.create_user("nurse")
    encounter = Encounter.objects.create(label="visit 1")
    run = run_concurrently(
        lambda i: get_or_create_draft_basket(encounter, user).pk, threads=THREADS
    )
    assert run.errors == []
    assert len(set(run.results)) == 1
    assert Basket.objects.filter(encounter=encounter).count() == 1
