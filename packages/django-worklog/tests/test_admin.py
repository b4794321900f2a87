import pytest
from django.contrib import admin

from django_worklog.models import WorkSession
from django_worklog.services import start_session, stop_session

pytestmark = pytest.mark.django_db

URL = "/admin/django_worklog/worksession/"


def test_registered_without_add(admin_client, rf, admin_user):
    model_admin = admin.site._registry[WorkSession]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert admin_client.get(URL + "add/").status_code == 403


def test_changelist_filters_by_state_and_user(admin_client, user, other_user, job):
    start_session(user, job)
    stop_session(user)
    running = start_session(other_user, job)
    assert admin_client.get(URL).context["cl"].result_count == 2
    active = admin_client.get(URL, {"state": "active"}).context["cl"]
    assert list(active.result_list) == [running]
    stopped = admin_client.get(URL, {"state": "stopped"}).context["cl"]
    assert [s.user for s in stopped.result_list] == [user]
    by_user = admin_client.get(URL, {"user__id__exact": other_user.pk}).context["cl"]
    assert list(by_user.result_list) == [running]


def test_times_are_read_only_in_the_change_form(admin_client, user, job):
    start_session(user, job)
    session = stop_session(user)
    response = admin_client.post(
        f"{URL}{session.pk}/change/",
        {"metadata": '{"note": "checked"}', "duration_seconds": "9999"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.metadata == {"note": "checked"}
    assert session.duration_seconds == 0


def test_stop_action_stops_running_sessions_only(admin_client, user, other_user, job):
    start_session(user, job)
    stop_session(user)
    running = start_session(other_user, job)
    ids = [str(pk) for pk in WorkSession.objects.values_list("pk", flat=True)]
    response = admin_client.post(
        URL, {"action": "stop_selected", "_selected_action": ids}, follow=True
    )
    assert "1 session(s) stopped." in response.content.decode()
    running.refresh_from_db()
    assert (running.stop_reason, running.is_stopped) == ("user", True)


def test_stop_action_costs_the_same_for_many_sessions(admin_client, job, clock):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from django_worklog.signals import session_stopped

    users = [get_user_model().objects.create_user(f"u{i}") for i in range(6)]
    for user in users:
        start_session(user, job)
    clock.advance(seconds=40)
    heard = []

    def receiver(sender, session, user, reason, **kwargs):
        heard.append((session.user_id, user, reason))

    session_stopped.connect(receiver)
    try:
        counts = []
        for batch in (users[:1], users[1:]):
            ids = [str(s.pk) for s in WorkSession.objects.filter(user__in=batch)]
            with CaptureQueriesContext(connection) as captured:
                response = admin_client.post(
                    URL, {"action": "stop_selected", "_selected_action": ids}
                )
            assert response.status_code == 302
            counts.append(len(captured))
    finally:
        session_stopped.disconnect(receiver)
    assert counts[0] == counts[1]  # 1 session or 5: the same number of queries
    assert sorted(heard, key=lambda h: h[0]) == [(u.pk, u, "user") for u in users]
    assert not WorkSession.objects.active().exists()
    assert set(WorkSession.objects.values_list("duration_seconds", flat=True)) == {40}


def test_stop_action_stops_the_selected_session_not_a_newer_one(admin_client, user, job, lab_work):
    first = start_session(user, job)
    second = start_session(user, lab_work)  # the switch stopped the first one
    admin_client.post(URL, {"action": "stop_selected", "_selected_action": [str(first.pk)]})
    second.refresh_from_db()
    assert second.is_active
