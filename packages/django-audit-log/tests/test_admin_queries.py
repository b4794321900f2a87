"""Each admin page costs a fixed number of queries, with 1 entry or 100."""

import pytest
from django.contrib.contenttypes.models import ContentType

from django_audit_log.models import AuditLog
from tests.testapp.models import Invoice

pytestmark = pytest.mark.django_db

URL = "/admin/django_audit_log/auditlog/"
# Every page: the session and the signed-in user.
SIGNED_IN = 2
PAGES = {
    # the bounded count and the page of entries (with their targets' content types)
    "changelist": ({}, SIGNED_IN + 2),
    "changelist filtered": (
        {"sensitivity__exact": "normal", "action__exact": "create", "is_system__exact": "1"},
        SIGNED_IN + 2,
    ),
    # + the content type ids and the start of the free-text window
    "search": ({"q": "Invoice 0"}, SIGNED_IN + 4),
    # + the content type ids (a UUID is matched as an id only: no free-text window)
    "search by target id": (None, SIGNED_IN + 3),
}


@pytest.fixture(params=[1, 100], ids=["1 entry", "100 entries"])
def entries(request, db):
    for model in (Invoice, AuditLog):  # cached in a running process after the first page
        ContentType.objects.get_for_model(model)
    for i in range(request.param):
        Invoice.objects.create(number=str(i))
    return request.param


@pytest.mark.parametrize("page", list(PAGES))
def test_list_pages_cost_the_same_for_1_and_100_entries(
    page, entries, admin_user_client, django_assert_num_queries
):
    params, budget = PAGES[page]
    if params is None:
        params = {"q": AuditLog.objects.first().target_id}
    with django_assert_num_queries(budget):
        response = admin_user_client.get(URL, params)
    assert response.status_code == 200
    assert response.context["cl"].result_list  # the page listed entries


def test_change_view_costs_the_same_for_1_and_100_entries(
    entries, admin_user_client, django_assert_num_queries
):
    entry = AuditLog.objects.first()
    # the entry (with its target's content type) and the target, for the link
    with django_assert_num_queries(SIGNED_IN + 2):
        response = admin_user_client.get(f"{URL}{entry.pk}/change/")
    assert response.status_code == 200
    assert f"/admin/testapp/invoice/{entry.target_id}/change/" in response.content.decode()


@pytest.mark.parametrize("matching", [1, 100], ids=["1 match", "100 matches"])
def test_an_exact_id_search_costs_the_same_for_1_and_100_matches(
    matching, admin_user_client, django_assert_num_queries
):
    from django_audit_log.services import log

    ContentType.objects.get_for_model(AuditLog)  # cached in a running process
    invoice = Invoice.objects.create(number="1")  # its creation: the first match
    for _ in range(matching - 1):
        log("viewed", invoice)
    Invoice.objects.create(number="2")  # another target: not a match
    # + the content type ids (a UUID is matched as an id only: no free-text window)
    with django_assert_num_queries(SIGNED_IN + 3):
        response = admin_user_client.get(URL, {"q": str(invoice.pk)})
    listed = response.context["cl"].result_list
    assert len(listed) == min(matching, 50)  # a page of 50
    assert response.context["cl"].result_count == matching
    assert {entry.target_id for entry in listed} == {str(invoice.pk)}
    assert [e.pk for e in listed] == [
        e.pk
        for e in AuditLog.objects.filter(target_id=str(invoice.pk)).order_by("-created_at", "-id")[
            :50
        ]
    ]
