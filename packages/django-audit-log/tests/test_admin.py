import datetime
import re
import uuid

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_audit_log import audit_context, connect_signal, log, log_event
from django_audit_log.admin import AuditLogAdmin, BoundedCountPaginator, known_actions
from django_audit_log.models import AuditLog
from tests.testapp.models import Account, Invoice, Plain

pytestmark = pytest.mark.django_db

URL = "/admin/django_audit_log/auditlog/"


def change_url(entry):
    return f"{URL}{entry.pk}/change/"


def test_registered_read_only():
    model_admin = admin.site._registry[AuditLog]
    assert isinstance(model_admin, AuditLogAdmin)
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.show_full_result_count is False
    assert model_admin.show_facets is admin.ShowFacets.NEVER
    assert model_admin.paginator is BoundedCountPaginator


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(entry.action for entry in response.context["cl"].result_list)


def test_changelist_lists_filters_and_searches(admin_user_client, user):
    target = Plain.objects.create(name="needle")
    log("export", obj=target, actor=user, sensitivity="high")
    log_event("login", actor=user)
    log_event("tick")
    assert listed(admin_user_client) == ["export", "login", "tick"]
    assert listed(admin_user_client, sensitivity__exact="high") == ["export"]
    assert listed(admin_user_client, action__exact="login") == ["login"]
    assert listed(admin_user_client, is_system__exact="1") == ["tick"]
    assert listed(admin_user_client, q="needle") == ["export"]  # target
    assert listed(admin_user_client, q="ALICE") == ["export", "login"]  # actor, any case
    assert "tick" in listed(admin_user_client, **{"created_at__gte": "2000-01-01T00:00:00+00:00"})


def test_no_page_runs_select_distinct(admin_user_client):
    log_event("login")
    for params in ({}, {"action__exact": "login"}, {"q": "x"}):
        with CaptureQueriesContext(connection) as captured:
            assert admin_user_client.get(URL, params).status_code == 200
        assert not [q["sql"] for q in captured if "DISTINCT" in q["sql"].upper()]


def test_action_filter_offers_the_actions_the_package_knows(admin_user_client, settings):
    from django.dispatch import Signal

    settings.AUDIT_LOG_ADMIN_ACTIONS = ["invoice.exported"]
    connect_signal(Signal(), "invoice.sent", dispatch_uid="test-admin-invoice-sent")
    log_event("never.listed")  # in the table, but the choices do not come from the table
    assert {"create", "update", "delete", "restore", "audit_log.pruned"} <= set(known_actions())
    assert {"invoice.exported", "invoice.sent"} <= set(known_actions())
    response = admin_user_client.get(URL)
    (action_filter,) = [f for f in response.context["cl"].filter_specs if f.title == "action"]
    offered = [choice["display"] for choice in action_filter.choices(response.context["cl"])]
    assert offered[1:] == known_actions()  # after "All"
    assert "never.listed" not in offered
    # An action typed in the address filters all the same, and shows as chosen.
    assert listed(admin_user_client, action__exact="never.listed") == ["never.listed"]
    response = admin_user_client.get(URL, {"action__exact": "never.listed"})
    (action_filter,) = [f for f in response.context["cl"].filter_specs if f.title == "action"]
    chosen = [c["display"] for c in action_filter.choices(response.context["cl"]) if c["selected"]]
    assert chosen == ["never.listed"]


def test_search_matches_ids_exactly(admin_user_client):
    invoice = Invoice.objects.create(number="A-X")  # UUID key
    account = Account.objects.create(name="ops")  # integer key
    with audit_context(request_id="req-7f3a"):
        event = log_event("export")
    log_event("other")
    assert listed(admin_user_client, q=str(invoice.pk)) == ["create"]
    assert listed(admin_user_client, q=str(invoice.pk).upper()) == ["create"]  # any spelling
    assert listed(admin_user_client, q=str(account.pk)) == ["create"]
    assert listed(admin_user_client, q="req-7f3a") == ["export"]
    assert listed(admin_user_client, q=f"  {event.pk}  ") == ["export"]  # the entry's own id
    assert listed(admin_user_client, q="req-7f") == []  # ids match whole, not in part
    assert listed(admin_user_client, q=str(uuid.uuid4())) == []


@override_settings(AUDIT_LOG_ADMIN_SEARCH_WINDOW=2)
def test_free_text_is_searched_among_the_newest_entries_only(admin_user_client):
    old = timezone.now() - datetime.timedelta(days=1)
    AuditLog.objects.create(action="old", actor_display="carol", created_at=old, request_id="r1")
    log_event("new1", actor="carol")
    log_event("new2", actor="dave")
    assert listed(admin_user_client, q="carol") == ["new1"]  # "old" is outside the window
    assert listed(admin_user_client, q="r1") == ["old"]  # ids are matched in every entry
    response = admin_user_client.get(URL)
    assert b"among the newest 2 entries" in response.content  # the box says what it matches


def test_changelist_never_counts_the_whole_table(admin_user_client):
    AuditLog.objects.bulk_create([AuditLog(action=f"a{i}") for i in range(5)])
    for params in ({}, {"sensitivity__exact": "normal"}, {"q": "a1"}):
        with CaptureQueriesContext(connection) as captured:
            response = admin_user_client.get(URL, params)
        assert response.status_code == 200
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1  # the bounded count; no full count, no facets
        assert re.search(r"LIMIT \d+", counts[0]), counts[0]


@override_settings(AUDIT_LOG_ADMIN_COUNT_LIMIT=3)
def test_paginator_stops_counting_past_the_limit():
    AuditLog.objects.bulk_create([AuditLog(action=f"a{i}") for i in range(10)])
    for queryset in (AuditLog.objects.all(), AuditLog.objects.filter(action__startswith="a")):
        bounded = BoundedCountPaginator(queryset, 2)
        assert (bounded.count, bounded.more_than, bounded.count_text) == (4, 3, "more than 3")
        assert bounded.num_pages == 2  # pages reach the limit, no further
    small = BoundedCountPaginator(AuditLog.objects.filter(action="a1"), 2)
    assert (small.count, small.more_than, small.count_text) == (1, None, "1")


@override_settings(AUDIT_LOG_ADMIN_COUNT_LIMIT=3)
def test_the_list_says_more_than_n_past_the_limit(admin_user_client):
    AuditLog.objects.bulk_create([AuditLog(action="a", sensitivity="high") for i in range(5)])
    for params in ({}, {"sensitivity__exact": "high"}):
        page = admin_user_client.get(URL, params).content.decode()
        assert "more than 3 audit log entries" in page
        assert "more than 3 results" in page
    page = admin_user_client.get(URL, {"sensitivity__exact": "critical"}).content.decode()
    assert "0 audit log entries" in page


def test_detail_is_view_only_and_changes_are_refused(admin_user_client):
    entry = log_event("login", metadata={"m": 1})
    page = admin_user_client.get(change_url(entry))
    assert page.status_code == 200
    assert b'name="action"' not in page.content  # no editable inputs
    posted = admin_user_client.post(change_url(entry), {"action": "forged"})
    assert posted.status_code == 403
    deleted = admin_user_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert admin_user_client.get(f"{URL}add/").status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).action == "login"
