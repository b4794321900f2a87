"""Races with real threads on PostgreSQL: every thread has its own connection and transaction."""

import pytest

from django_catalog.exceptions import (
    BasketNotDraftError,
    InvalidStatusTransitionError,
    OverDispenseError,
)
from django_catalog.models import Basket, BasketItem, DispenseLog, WorkItem
from django_catalog.services import (
    commit_basket,
    dispense,
    get_or_create_draft_basket,
    update_work_item_status,
)
from primitives_testkit import run_concurrently

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]

THREADS = 16


def test_sixteen_commits_of_one_basket_spawn_one_set(filled_basket, user):
    run = run_concurrently(lambda i: commit_basket(Basket.objects.get(pk=filled_basket.pk), user))
    assert run.errors == []
    answers = {tuple(work_item.pk for work_item in result) for result in run.results}
    assert len(answers) == 1
    [spawned] = answers
    assert len(spawned) == 2
    assert sorted(WorkItem.objects.values_list("pk", flat=True)) == sorted(spawned)
    assert Basket.objects.get(pk=filled_basket.pk).status == "committed"


def test_sixteen_callers_get_one_draft(encounter, user):
    run = run_concurrently(lambda i: get_or_create_draft_basket(encounter, user).pk)
    assert run.errors == []
    assert len(set(run.results)) == 1
    assert Basket.objects.filter(encounter=encounter, status="draft").count() == 1


def test_adds_racing_a_commit_are_spawned_or_refused(basket, lab_test, user):
    """Half the threads add an item, half commit: no item may end up without its work item."""
    BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)

    def add_or_commit(i):
        if i % 2:
            return commit_basket(Basket.objects.get(pk=basket.pk), user)
        return BasketItem.objects.create(basket=basket, catalog_item=lab_test, added_by=user)

    run = run_concurrently(add_or_commit)
    assert all(isinstance(error, BasketNotDraftError) for error in run.errors)
    items = set(BasketItem.objects.filter(basket=basket).values_list("pk", flat=True))
    spawned = set(WorkItem.objects.filter(basket=basket).values_list("basket_item", flat=True))
    assert items == spawned
    assert len(items) + len(run.errors) == 1 + THREADS // 2


def test_sixteen_completions_of_one_work_item_succeed_once(filled_basket, user):
    work_item = commit_basket(filled_basket, user)[0]
    update_work_item_status(work_item, "in_progress", user)
    run = run_concurrently(
        lambda i: update_work_item_status(WorkItem.objects.get(pk=work_item.pk), "completed", user)
    )
    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    assert all(isinstance(error, InvalidStatusTransitionError) for error in run.errors)


def test_concurrent_dispenses_never_exceed_the_ordered_quantity(filled_basket, user):
    medication_work = commit_basket(filled_basket, user)[1]  # 3 ordered
    run = run_concurrently(lambda i: dispense(medication_work, user, quantity=1))
    assert len(run.results) == 3
    assert all(isinstance(error, OverDispenseError) for error in run.errors)
    assert DispenseLog.objects.filter(work_item=medication_work).count() == 3
