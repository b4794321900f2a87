import pytest
from django.contrib import admin
from django.urls import reverse

from django_catalog.models import (
    Basket,
    BasketItem,
    CatalogItem,
    CatalogSettings,
    DispenseLog,
    WorkItem,
)
from django_catalog.services import commit_basket, dispense

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_items(filled_basket, user):
    return commit_basket(filled_basket, user)


def url(model, view="changelist", *args):
    return reverse(f"admin:django_catalog_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered():
    for model in (Basket, BasketItem, CatalogItem, CatalogSettings, DispenseLog, WorkItem):
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", [Basket, BasketItem, CatalogItem, DispenseLog, WorkItem])
def test_changelists_and_change_pages_render(admin_client, work_items, user, model):
    dispense(work_items[1], user)
    assert admin_client.get(url(model)).status_code == 200
    row = model._default_manager.first()
    assert admin_client.get(url(model, "change", row.pk)).status_code == 200


def test_work_items_are_listed_by_board(admin_client, work_items):
    response = admin_client.get(url(WorkItem), {"board": "pharmacy"})
    assert list(response.context["cl"].result_list) == [work_items[1]]
    response = admin_client.get(url(WorkItem), {"board": "lab"})
    assert list(response.context["cl"].result_list) == [work_items[0]]


def test_work_item_actions_use_the_status_chart(admin_client, work_items):
    lab = work_items[0]
    data = {"action": "complete", "_selected_action": [lab.pk]}
    response = admin_client.post(url(WorkItem), data, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "cannot move from 'pending' to 'completed'" in message
    assert WorkItem.objects.get(pk=lab.pk).status == "pending"
    admin_client.post(url(WorkItem), {"action": "start", "_selected_action": [lab.pk]})
    admin_client.post(url(WorkItem), data)
    assert WorkItem.objects.get(pk=lab.pk).status == "completed"


def test_work_items_are_neither_added_nor_deleted_in_admin(admin_client, work_items):
    assert admin_client.get(url(WorkItem, "add")).status_code == 403
    assert admin_client.get(url(WorkItem, "delete", work_items[0].pk)).status_code == 403


def test_dispense_log_is_read_only_in_admin(admin_client, work_items, user):
    entry = dispense(work_items[1], user)
    assert admin_client.get(url(DispenseLog, "add")).status_code == 403
    assert admin_client.get(url(DispenseLog, "delete", entry.pk)).status_code == 403
    response = admin_client.post(url(DispenseLog, "change", entry.pk), {"quantity": 3})
    assert response.status_code == 403
    assert DispenseLog.objects.get(pk=entry.pk).quantity == 1


def test_basket_commit_action(admin_client, filled_basket):
    data = {"action": "commit", "_selected_action": [filled_basket.pk]}
    admin_client.post(url(Basket), data)
    assert Basket.objects.get(pk=filled_basket.pk).status == "committed"
    assert WorkItem.objects.filter(basket=filled_basket).count() == 2


def test_items_are_added_through_the_basket_inline(admin_client, basket, lab_test, admin_user):
    prefix = "items"
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-catalog_item": lab_test.pk,
        f"{prefix}-0-quantity": "2",
        f"{prefix}-0-notes": "",
    }
    response = admin_client.post(url(Basket, "change", basket.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    item = BasketItem.objects.get(basket=basket)
    assert (item.quantity, item.added_by, item.board) == (2, admin_user, "lab")


def test_catalog_settings_admin_edits_the_singleton(admin_client):
    CatalogSettings.get_instance()
    response = admin_client.get(url(CatalogSettings))
    assert response.url == url(CatalogSettings, "change", 1)
    response = admin_client.post(response.url, {"allow_inactive_items": "on"})
    assert response.status_code == 302
    assert CatalogSettings.get_instance().allow_inactive_items is True


def test_boards_view_counts_work_items_per_board_and_status(admin_client, work_items, user):
    from django_catalog.services import update_work_item_status

    update_work_item_status(work_items[0], "in_progress", user)
    response = admin_client.get(url(WorkItem, "boards"))
    assert response.status_code == 200
    boards = {board["name"]: board["cells"] for board in response.context["boards"]}
    assert {cell["status"]: cell["count"] for cell in boards["lab"]}["in_progress"] == 1
    assert {cell["status"]: cell["count"] for cell in boards["pharmacy"]}["pending"] == 1
    assert f'{url(WorkItem)}?board=pharmacy&amp;status=pending"' in response.text
    assert url(WorkItem, "boards") in admin_client.get(url(WorkItem)).text


def test_boards_view_needs_permission(client, user, work_items):
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(url(WorkItem, "boards")).status_code == 403


def test_a_saved_basket_keeps_its_encounter(admin_client, basket):
    other = type(basket.encounter).objects.create(label="other")
    data = {"encounter": other.pk, "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    assert admin_client.post(url(Basket, "change", basket.pk), data).status_code == 302
    assert Basket.objects.get(pk=basket.pk).encounter_id == basket.encounter_id
