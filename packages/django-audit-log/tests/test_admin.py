import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from django_audit_log import log, log_event
from django_audit_log.admin import AuditLogAdmin, BoundedCountPaginator
from django_audit_log.models import AuditLog
from tests.testapp.models import Plain

pytestmark = pytest.mark.django_db

URL = "/admin/django_audit_log/auditlog/"


def test_registered_read_only():
    model_admin = admin.site._registry[AuditLog]
    assert isinstance(model_admin, AuditLogAdmin)
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.show_full_result_count is False
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
    assert listed(admin_user_client, q="alice") == ["export", "login"]  # actor
    assert "tick" in listed(admin_user_client, **{"created_at__gte": "2000-01-01T00:00:00+00:00"})


def test_changelist_never_counts_the_whole_table(admin_user_client):
    AuditLog.objects.bulk_create([AuditLog(action=f"a{i}") for i in range(5)])
    with CaptureQueriesContext(connection) as captured:
        response = admin_user_client.get(URL)
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts  # the bounded count runs
    for sql in counts:
        assert re.search(r"LIMIT \d+", sql), sql


def test_detail_is_view_only_and_changes_are_refused(admin_user_client):
    entry = log_event("login", metadata={"m": 1})
    page = admin_user_client.get(f"{URL}{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="action"' not in page.content  # no editable inputs
    posted = admin_user_client.post(f"{URL}{entry.pk}/change/", {"action": "forged"})
    assert posted.status_code == 403
    deleted = admin_user_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert admin_user_client.get(f"{URL}add/").status_code == 403
    assert AuditLog.objects.get(pk=entry.pk).action == "login"


@override_settings(AUDIT_LOG_ADMIN_COUNT_LIMIT=3)
def test_paginator_stops_counting_at_the_limit():
    AuditLog.objects.bulk_create([AuditLog(action=f"a{i}") for i in range(10)])
    filtered = BoundedCountPaginator(AuditLog.objects.filter(action__startswith="a"), 2)
    assert filtered.count == 3
    small = BoundedCountPaginator(AuditLog.objects.filter(action="a1"), 2)
    assert small.count == 1


@pytest.mark.postgresql
@override_settings(AUDIT_LOG_ADMIN_COUNT_LIMIT=3)
def test_unfiltered_list_past_the_limit_shows_the_planner_estimate():
    AuditLog.objects.bulk_create([AuditLog(action=f"a{i}") for i in range(10)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE django_audit_log_auditlog")
    assert BoundedCountPaginator(AuditLog.objects.all(), 2).count >= 3
