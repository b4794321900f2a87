import pytest

from django_catalog.exceptions import InvalidStatusTransitionError, NotDispensableError
from django_catalog.models import Basket, DispenseLog, WorkItem
from django_catalog.services import (
    cancel_basket,
    commit_basket,
    dispense,
    update_work_item_status,
)
from django_catalog.signals import (
    basket_cancelled,
    basket_committed,
    item_dispensed,
    work_item_status_changed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """Connect a recorder to every signal; yields the list of (signal, kwargs) received."""
    calls = []
    signals = [basket_committed, basket_cancelled, work_item_status_changed, item_dispensed]
    recorders = []
    for signal in signals:

        def record(signal=signal, **kwargs):
            calls.append((signal, kwargs))

        signal.connect(record)
        recorders.append((signal, record))
    yield calls
    for signal, record in recorders:
        signal.disconnect(record)


def test_basket_committed_is_sent_once_by_the_committing_call(filled_basket, user, received):
    work_items = commit_basket(filled_basket, user)
    commit_basket(filled_basket, user)
    [(signal, kwargs)] = received
    assert signal is basket_committed
    assert kwargs["sender"] is Basket
    assert kwargs["basket"] == filled_basket
    assert kwargs["work_items"] == work_items
    assert kwargs["user"] == user


def test_basket_cancelled(basket, user, received):
    cancel_basket(basket, user)
    [(signal, kwargs)] = received
    assert signal is basket_cancelled
    assert (kwargs["basket"], kwargs["user"]) == (basket, user)


def test_work_item_status_changed(filled_basket, user, received):
    work_item = commit_basket(filled_basket, user)[0]
    update_work_item_status(work_item, "in_progress", user)
    signal, kwargs = received[-1]
    assert signal is work_item_status_changed
    assert kwargs["sender"] is WorkItem
    assert (kwargs["work_item"], kwargs["old_status"], kwargs["new_status"]) == (
        work_item,
        "pending",
        "in_progress",
    )
    assert kwargs["user"] == user


def test_item_dispensed(filled_basket, user, received):
    work_item = commit_basket(filled_basket, user)[1]
    entry = dispense(work_item, user, quantity=2)
    signal, kwargs = received[-1]
    assert signal is item_dispensed
    assert kwargs["sender"] is DispenseLog
    assert (kwargs["dispense_log"], kwargs["work_item"], kwargs["user"]) == (entry, work_item, user)


def test_refused_operations_send_nothing(filled_basket, user, received):
    work_item = commit_basket(filled_basket, user)[0]
    received.clear()
    with pytest.raises(InvalidStatusTransitionError):
        update_work_item_status(work_item, "completed", user)
    with pytest.raises(NotDispensableError):
        dispense(work_item, user)
    assert received == []
