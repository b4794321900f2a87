"""The session list costs the same however many sessions exist: one bounded count, no scan
for the years of a date hierarchy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_worklog.admin import BoundedCountPaginator, RecentUserFilter
from django_worklog.models import WorkSession
from django_worklog.services import start_session, stop_session
from tests.testapp.models import RepairJob

pytestmark = pytest.mark.django_db

URL = "/admin/django_worklog/worksession/"


def sessions(user, count, clock):
    jobs = [RepairJob.objects.create(title=f"job {i}") for i in range(count)]
    for job in jobs:
        start_session(user, job)  # each start stops the one before
        clock.advance(seconds=30)
    stop_session(user)


MARCH = "2026-03-01 00:00:00+00:00"  # the start-date filter's own format (aware)


@pytest.mark.parametrize("query", [{}, {"state": "stopped"}, {"started_at__gte": MARCH}])
def test_the_list_costs_the_same_with_1_and_100_sessions(
    admin_client, user, other_user, clock, query
):
    sessions(user, 1, clock)
    admin_client.get(URL, query)  # content types and the like, cached from now on
    counts = []
    for more in (0, 99):
        if more:
            sessions(other_user, more, clock)
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(URL, query)
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1 + more
        counts.append(len(captured))
        statements = [q["sql"] for q in captured.captured_queries]
        assert sum("COUNT(" in sql for sql in statements) == 1, statements
        assert not any("DISTINCT" in sql for sql in statements), statements
    # session, user, the bounded count, the page with users and content types, the user
    # filter's choices (the newest sessions' users: 2 queries), the content type filter's choices
    assert counts == [7, 7]


def test_the_list_of_one_user_costs_the_same_with_1_and_100_sessions(
    admin_client, user, other_user, clock
):
    sessions(user, 1, clock)
    sessions(other_user, 1, clock)  # not counted: another user's
    query = {"user__id__exact": user.pk}
    admin_client.get(URL, query)  # content types and the like, cached from now on
    counts = []
    for more in (0, 99):
        if more:
            sessions(user, more, clock)
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(URL, query)
        assert response.context["cl"].result_count == 1 + more
        counts.append(len(captured))
        counting = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        # One count, bounded and unordered (see BoundedCountPaginator).
        assert len(counting) == 1, counting
        assert f"LIMIT {BoundedCountPaginator.count_limit}" in counting[0], counting
        assert "ORDER BY" not in counting[0], counting
    # session, user, the bounded count, the page with users and content types, the user
    # filter's choices (the newest sessions' users: 2 queries), the content type filter's choices
    assert counts == [7, 7]


def test_the_count_stops_at_the_limit(admin_client, user, clock, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "count_limit", 5)
    sessions(user, 8, clock)
    assert WorkSession.objects.count() == 8
    with CaptureQueriesContext(connection) as captured:
        changelist = admin_client.get(URL).context["cl"]
    assert changelist.result_count == 5
    counting = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert len(counting) == 1
    assert "LIMIT 5" in counting[0]


def test_the_user_filter_costs_the_same_with_1_and_100_users(
    admin_client, django_user_model, job, clock, monkeypatch
):
    monkeypatch.setattr(RecentUserFilter, "shown", 10)
    first = django_user_model.objects.create_user("worker0")
    start_session(first, job)
    admin_client.get(URL)  # content types and the like, cached from now on
    counts = []
    for more in (0, 99):
        for i in range(1, more + 1):
            clock.advance(seconds=1)  # one start a second: a defined newest-first order
            start_session(django_user_model.objects.create_user(f"worker{i}"), job)
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(URL)
        counts.append(len(captured))
        [user_filter] = [f for f in response.context["cl"].filter_specs if f.title == "user"]
        offered = [label for _value, label in user_filter.lookup_choices]
        # The newest sessions' users, newest first, at most `shown` of them.
        assert offered == [f"worker{i}" for i in range(more, max(more - 10, -1), -1)]
    # session, user, the bounded count, the page, the newest sessions' users (2 queries), the
    # content type filter's choices
    assert counts == [7, 7]


def test_any_user_can_be_chosen_and_is_offered_while_chosen(
    admin_client, user, other_user, job, clock, monkeypatch
):
    start_session(user, job)
    clock.advance(seconds=1)
    start_session(other_user, job)
    monkeypatch.setattr(RecentUserFilter, "shown", 1)  # only the newest session's user
    listing = admin_client.get(URL, {"user__id__exact": user.pk}).context["cl"]
    assert [s.user for s in listing.result_list] == [user]
    [user_filter] = [f for f in listing.filter_specs if f.title == "user"]
    assert [label for _v, label in user_filter.lookup_choices] == ["kim", "sam"]
    assert admin_client.get(URL, {"user__id__exact": "not-a-key"}).url.endswith("?e=1")
