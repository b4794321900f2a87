"""Bad input to every public function and to the models: the package's own error, naming the
value and what was expected, and nothing written."""

import pytest
from django.contrib.auth import get_user_model

from django_catalog.exceptions import CatalogError, InvalidArgumentError
from django_catalog.models import Basket, BasketItem, CatalogItem, DispenseLog, WorkItem
from django_catalog.services import (
    add_item,
    cancel_basket,
    commit_basket,
    dispense,
    dispensed_quantity,
    get_or_create_draft_basket,
    update_work_item_status,
)
from tests.testapp.models import Encounter, Patient

pytestmark = pytest.mark.django_db

HUGE = 2**40


class Fixtures:
    def __init__(self, user, encounter, basket, draft, lab_test, work_items):
        self.user = user
        self.encounter = encounter
        self.basket = basket  # committed
        self.draft = draft
        self.lab_test = lab_test
        self.work = work_items[1]  # 3 units of a medication


@pytest.fixture
def f(user, encounter, filled_basket, lab_test):
    work_items = commit_basket(filled_basket, user)
    draft = get_or_create_draft_basket(Encounter.objects.create(label="visit 2"), user)
    add_item(draft, lab_test, user)
    return Fixtures(user, encounter, filled_basket, draft, lab_test, work_items)


def ghost():
    return get_user_model()(username="ghost")


CASES = [
    ("draft: encounter None", lambda f: get_or_create_draft_basket(None, f.user), "None"),
    ("draft: encounter text", lambda f: get_or_create_draft_basket("v1", f.user), "'v1'"),
    ("draft: wrong model", lambda f: get_or_create_draft_basket(Patient(), f.user), "Patient"),
    ("draft: unsaved", lambda f: get_or_create_draft_basket(Encounter(), f.user), "saved"),
    ("draft: user None", lambda f: get_or_create_draft_basket(f.encounter, None), "user None"),
    ("draft: user text", lambda f: get_or_create_draft_basket(f.encounter, "nurse"), "'nurse'"),
    ("draft: user unsaved", lambda f: get_or_create_draft_basket(f.encounter, ghost()), "saved"),
    ("add: basket None", lambda f: add_item(None, f.lab_test, f.user), "basket None"),
    ("add: basket unsaved", lambda f: add_item(Basket(), f.lab_test, f.user), "saved"),
    ("add: item None", lambda f: add_item(f.draft, None, f.user), "catalog_item None"),
    ("add: item text", lambda f: add_item(f.draft, "Blood Test", f.user), "'Blood Test'"),
    ("add: item unsaved", lambda f: add_item(f.draft, CatalogItem(), f.user), "saved"),
    ("add: user None", lambda f: add_item(f.draft, f.lab_test, None), "user None"),
    ("add: quantity huge", lambda f: add_item(f.draft, f.lab_test, f.user, HUGE), str(HUGE)),
    ("add: quantity text", lambda f: add_item(f.draft, f.lab_test, f.user, "2"), "'2'"),
    ("add: quantity None", lambda f: add_item(f.draft, f.lab_test, f.user, None), "None"),
    ("add: notes None", lambda f: add_item(f.draft, f.lab_test, f.user, 1, None), "notes"),
    ("commit: basket None", lambda f: commit_basket(None, f.user), "basket None"),
    ("commit: basket text", lambda f: commit_basket("b", f.user), "'b'"),
    ("commit: user None", lambda f: commit_basket(f.draft, None), "user None"),
    ("cancel: basket unsaved", lambda f: cancel_basket(Basket(), f.user), "saved"),
    ("cancel: user unsaved", lambda f: cancel_basket(f.draft, ghost()), "saved"),
    ("status: item None", lambda f: update_work_item_status(None, "completed", f.user), "None"),
    ("status: a number", lambda f: update_work_item_status(f.work, 5, f.user), "status 5"),
    ("status: unknown", lambda f: update_work_item_status(f.work, "done", f.user), "'done'"),
    ("status: user None", lambda f: update_work_item_status(f.work, "cancelled", None), "None"),
    ("dispense: item None", lambda f: dispense(None, f.user), "work_item None"),
    ("dispense: item unsaved", lambda f: dispense(WorkItem(), f.user), "saved"),
    ("dispense: user None", lambda f: dispense(f.work, None), "user None"),
    ("dispense: quantity huge", lambda f: dispense(f.work, f.user, HUGE), str(HUGE)),
    ("dispense: quantity float", lambda f: dispense(f.work, f.user, 1.0), "1.0"),
    ("dispense: notes a list", lambda f: dispense(f.work, f.user, 1, ["x"]), "notes"),
    ("dispensed: None", lambda f: dispensed_quantity(None), "work_item None"),
    (
        "catalog item: unknown kind",
        lambda f: CatalogItem.objects.create(kind="food", display_name="Hay"),
        "'food'",
    ),
    (
        "catalog item: name too long",
        lambda f: CatalogItem.objects.create(kind="service", display_name="x" * 201),
        "at most 200",
    ),
    (
        "basket item: notes None",
        lambda f: BasketItem.objects.create(
            basket=f.draft, catalog_item=f.lab_test, added_by=f.user, notes=None
        ),
        "notes None",
    ),
]


def snapshot():
    return [
        list(model._base_manager.order_by("pk").values())
        for model in (CatalogItem, Basket, BasketItem, WorkItem, DispenseLog)
    ]


@pytest.mark.parametrize(("call", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_nothing_is_written(f, call, message):
    before = snapshot()
    with pytest.raises(CatalogError) as caught:
        call(f)
    assert message in str(caught.value)
    assert "expected" in str(caught.value)
    assert snapshot() == before


def test_invalid_argument_errors_carry_the_value(f):
    with pytest.raises(InvalidArgumentError) as caught:
        add_item(f.draft, f.lab_test, f.user, quantity=HUGE)
    assert (caught.value.argument, caught.value.value) == ("quantity", HUGE)
